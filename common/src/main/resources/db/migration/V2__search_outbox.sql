-- Messages whose search document is not yet in line with MySQL. The worker adds a row in the same
-- transaction as the message write, and removes it once the search engine has the current state:
-- a durable record, so nothing is lost while the search engine is down.
CREATE TABLE search_outbox (
    chat_id BIGINT NOT NULL,
    number  INT    NOT NULL,
    PRIMARY KEY (chat_id, number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
