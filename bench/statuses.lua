-- Shared by the wrk scripts: counts the answers that are not the EXPECTED status, by status, and
-- done() prints them as "non-EXPECTED: TOTAL STATUS:COUNT,...". Load it with dofile from the
-- checkout's root (bench/run runs there), after setting expected.

local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function response(status)
    if status ~= expected then
        statuses[status] = (statuses[status] or 0) + 1
    end
end

function done()
    local total, by_status = 0, {}
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do
            total = total + count
            by_status[status] = (by_status[status] or 0) + count
        end
    end
    local parts = {}
    for status, count in pairs(by_status) do
        table.insert(parts, status .. ":" .. count)
    end
    table.sort(parts)
    io.write(string.format("non-%d: %d %s\n", expected, total, table.concat(parts, ",")))
end
