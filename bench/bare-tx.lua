-- The floor under message acceptance: one short transaction that locks a row by primary key and
-- bumps a counter, as numbering a message does (MessageAllocator), without the API around it.
--   sysbench bench/bare-tx.lua --db-driver=mysql --mysql-db=... [--hot=on] prepare|run|cleanup
-- One event is BEGIN; SELECT ... FOR UPDATE; UPDATE; COMMIT on a random row of 1..1000, or on row 1
-- with --hot=on.

sysbench.cmdline.options = {
    hot = {"Always lock row 1, like the hot chat", false},
}

local ROWS = 1000

function prepare()
    local con = sysbench.sql.driver():connect()
    con:query("DROP TABLE IF EXISTS bench_rows")
    con:query("CREATE TABLE bench_rows (id INT PRIMARY KEY, n BIGINT NOT NULL)")
    local values = {}
    for id = 1, ROWS do
        values[id] = string.format("(%d, 0)", id)
    end
    con:query("INSERT INTO bench_rows (id, n) VALUES " .. table.concat(values, ","))
end

function cleanup()
    sysbench.sql.driver():connect():query("DROP TABLE IF EXISTS bench_rows")
end

function thread_init()
    con = sysbench.sql.driver():connect()
end

function thread_done()
    con:disconnect()
end

function event()
    local id = sysbench.opt.hot and 1 or sysbench.rand.uniform(1, ROWS)
    con:query("BEGIN")
    con:query(string.format("SELECT n FROM bench_rows WHERE id = %d FOR UPDATE", id))
    con:query(string.format("UPDATE bench_rows SET n = n + 1 WHERE id = %d", id))
    con:query("COMMIT")
end
