-- wrk script: POST a message to a chat of the application, each request to a random chat of 1..CHATS
-- (CHATS = 1: always chat 1, the hot chat). Each body holds a fresh random word, like a real message.
--   wrk -t2 -c16 -d15s --latency -s bench/post.lua http://127.0.0.1:8280 -- TOKEN CHATS
-- done() prints how many answers were not 202, by status (bench/statuses.lua): wrk's own "Non-2xx"
-- line misses a 200 or a 201, and a 202 is the only success here.

expected = 202
dofile("bench/statuses.lua")

function init(args)
    token, chats = args[1], tonumber(args[2])
    math.randomseed(os.time() * 100 + id)
    statuses = {}
end

local function word()
    local letters = {}
    for i = 1, 10 do
        letters[i] = string.char(math.random(97, 122))
    end
    return "zq" .. table.concat(letters)
end

function request()
    local path = string.format("/applications/%s/chats/%d/messages", token, math.random(1, chats))
    return wrk.format("POST", path, {["Content-Type"] = "application/json"},
        string.format('{"body":"bench message %s"}', word()))
end
