-- wrk script: bench/post.lua's messages at a fixed RATE a second per wrk thread, whatever the answers
-- take (an open loop, as long as a connection is free when a message is due). bench/run uses one thread:
--   wrk -t1 -c64 -d15s --latency -s bench/paced.lua http://127.0.0.1:8280 -- TOKEN CHATS RATE
-- The thread hands out send times 1/RATE s apart, one to each connection as its answer arrives. A
-- slow server makes connections late for their slots, never the schedule: wrk's "Requests/sec" then
-- falls below RATE, which is how bench/run sees it.

dofile("bench/post.lua")

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local now_spec = ffi.new("bench_timespec")

local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, now_spec)
    return tonumber(now_spec.tv_sec) * 1000 + tonumber(now_spec.tv_nsec) / 1e6
end

local post_init = init

function init(args)
    post_init(args)
    interval = 1000 / tonumber(args[3])
    next_slot = now_ms()
end

function delay()
    local now = now_ms()
    local slot = math.max(next_slot, now)
    next_slot = slot + interval
    return math.floor(slot - now)
end
