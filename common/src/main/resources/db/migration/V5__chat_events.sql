-- Real-time events (see README, "Real-time events"): every visible change of a chat's messages, in
-- the order the worker's transactions committed them, numbered 1, 2, 3... per chat with no gap. The
-- worker appends them in the transaction that writes the messages, under the chat's chat_streams
-- row, so that commit order and seq order are one and the same whichever worker commits: a client
-- that resumes after seq N can never miss an operation that committed late.

-- One row per chat that has events: the last seq handed out. A row of its own, locked only by the
-- workers (and the purge): appending never locks the chats row that message numbering locks FOR
-- UPDATE. (A worker that waits for another's lock on a stream keeps its share lock on the chat
-- meanwhile, so numbering waits too: only while two workers' batches hold operations of one chat.)
CREATE TABLE chat_streams (
    chat_id  BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (chat_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The events themselves, with the data each was sent with (the Message as it was, or the number of
-- a deleted one): a replay sends exactly what a live subscriber received. Removed with the chat.
CREATE TABLE chat_events (
    chat_id    BIGINT      NOT NULL,
    seq        BIGINT      NOT NULL,
    type       VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    number     INT         NOT NULL,
    data       MEDIUMTEXT  NOT NULL,
    created_at DATETIME(3) NOT NULL,
    -- Replays read a range of one chat's events in seq order.
    PRIMARY KEY (chat_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
