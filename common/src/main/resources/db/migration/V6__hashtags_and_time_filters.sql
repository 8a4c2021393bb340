-- Filters on GET …/messages and the time of a chat's messages.

-- The hashtags of every visible message (created, not deleted), as its current body has them; the
-- worker rewrites a message's rows in the transaction that changes the message. Lowercased by the
-- API's rule (common Hashtags), so compared byte for byte: utf8mb4_bin. At most 100 characters, and
-- lowercasing can lengthen a few letters (İ becomes i + a combining dot): room for 255.
CREATE TABLE message_hashtags (
    chat_id BIGINT       NOT NULL,
    number  INT          NOT NULL,
    hashtag VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    -- A message's rows, for the worker's rewrite.
    PRIMARY KEY (chat_id, number, hashtag),
    -- A page of a chat's messages with one hashtag: a range of this index, in number order.
    KEY idx_message_hashtags_chat_tag (chat_id, hashtag, number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- from/to on a chat's messages become a range of numbers: the first message at or after each bound,
-- found in this index (InnoDB appends the primary key: chat_id, created_at, number).
ALTER TABLE messages ADD INDEX idx_messages_chat_created (chat_id, created_at), ALGORITHM=INPLACE, LOCK=NONE;

-- The created_at of the chat's last numbered message. Numbering gives each new message
-- GREATEST(now, this), under the chat's lock: created_at never decreases as numbers grow, on every
-- replica whatever its clock, so a time range is a range of numbers.
ALTER TABLE chats ADD COLUMN last_message_at DATETIME(3) NULL, ALGORITHM=INSTANT;
