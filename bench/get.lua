-- wrk script: GET what a busy client reads again and again, each request for a random chat of 1..CHATS:
--   list         its first page of messages (GET …/chats/N/messages)
--   chat         the chat (GET …/chats/N)
--   application  the application (GET /applications/TOKEN)
--   wrk -t2 -c16 -d15s --latency -s bench/get.lua http://127.0.0.1:8280 -- TOKEN CHATS KIND
-- done() prints how many answers were not 200, by status (bench/statuses.lua).

expected = 200
dofile("bench/statuses.lua")

function init(args)
    token, chats, kind = args[1], tonumber(args[2]), args[3]
    assert(kind == "list" or kind == "chat" or kind == "application", "KIND is list, chat or application")
    math.randomseed(os.time() * 100 + id)
    statuses = {}
end

function request()
    local chat = math.random(1, chats)
    if kind == "list" then
        return wrk.format("GET", string.format("/applications/%s/chats/%d/messages", token, chat))
    elseif kind == "chat" then
        return wrk.format("GET", string.format("/applications/%s/chats/%d", token, chat))
    end
    return wrk.format("GET", "/applications/" .. token)
end
