-- Runs on MySQL 8 and MariaDB 10.11: no syntax either side lacks, utf8mb4_unicode_ci (MariaDB has no
-- utf8mb4_0900_* collations). Times are UTC, DATETIME(3) for the contract's millisecond timestamps.

CREATE TABLE applications (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    -- ascii_bin: tokens are case-sensitive; a case-insensitive collation would make two tokens one.
    token            CHAR(22)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name             VARCHAR(255) NOT NULL,
    -- The last chat number handed out; bumped under SELECT ... FOR UPDATE, never decreased.
    last_chat_number INT          NOT NULL DEFAULT 0,
    chats_count      INT          NOT NULL DEFAULT 0,
    created_at       DATETIME(3)  NOT NULL,
    updated_at       DATETIME(3)  NOT NULL,
    -- Set by DELETE: the token answers 404 from then on. The row stays as a tombstone so that
    -- the unique index keeps the token from ever being issued again.
    deleted_at       DATETIME(3)  NULL,
    -- Set once the background purge has removed the chats and messages.
    purged_at        DATETIME(3)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_applications_token (token),
    -- The purge finds "deleted, not yet purged" rows: purged_at IS NULL AND deleted_at IS NOT NULL.
    KEY idx_applications_purge (purged_at, deleted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE chats (
    id                  BIGINT      NOT NULL AUTO_INCREMENT,
    application_id      BIGINT      NOT NULL,
    number              INT         NOT NULL,
    -- The last message number handed out; bumped under SELECT ... FOR UPDATE, never decreased.
    last_message_number INT         NOT NULL DEFAULT 0,
    -- Counts every accepted operation on the chat's messages (create, edit, delete), under the same
    -- lock: the version that orders operations on one message, whichever worker applies them.
    last_version        BIGINT      NOT NULL DEFAULT 0,
    messages_count      INT         NOT NULL DEFAULT 0,
    created_at          DATETIME(3) NOT NULL,
    updated_at          DATETIME(3) NOT NULL,
    -- Set by DELETE; the purge removes the messages, then the row. The number is not reused:
    -- applications.last_chat_number only grows.
    deleted_at          DATETIME(3) NULL,
    PRIMARY KEY (id),
    -- Numbering, lookups by (application, number) and keyset pages over number.
    UNIQUE KEY uk_chats_application_number (application_id, number),
    KEY idx_chats_deleted (deleted_at),
    CONSTRAINT fk_chats_application FOREIGN KEY (application_id) REFERENCES applications (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE messages (
    -- No foreign key on purpose: it would take a shared lock on the chat row for every insert,
    -- and the chat row is the one that message numbering locks FOR UPDATE.
    chat_id    BIGINT      NOT NULL,
    number     INT         NOT NULL,
    body       TEXT        NOT NULL,
    -- The version of the last operation applied: an older one, redelivered or overtaken, is ignored.
    version    BIGINT      NOT NULL,
    -- A row can exist before its create is applied (an edit overtook it); it is visible only once
    -- created and while not deleted. deleted never goes back to false.
    created    BOOLEAN     NOT NULL DEFAULT FALSE,
    deleted    BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at DATETIME(3) NULL,
    updated_at DATETIME(3) NOT NULL,
    -- Clustered by chat: a chat's messages are one contiguous range, for pages, counts and purges;
    -- the key also makes the worker's inserts idempotent.
    PRIMARY KEY (chat_id, number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
