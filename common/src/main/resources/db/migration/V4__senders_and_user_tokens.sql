-- Senders of messages, and what user tokens need: a public identifier per application (the `app`
-- claim of a user token: not its secret token, not its internal id) and a revocation generation per
-- user. Every statement is online on MySQL 8 and MariaDB 10.11: columns added INSTANT (no table
-- copy, no row rewritten), indexes built INPLACE with LOCK=NONE (writes go on meanwhile).

-- Who wrote a message: the application's own id for one of its users (1 to 64 of [A-Za-z0-9_.@:-]),
-- compared exactly; null when none was given.
ALTER TABLE messages ADD COLUMN sender VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL, ALGORITHM=INSTANT;
-- The sender filter of a chat's list and per-sender counts, in number order: an index range, no scan.
ALTER TABLE messages ADD INDEX idx_messages_chat_sender (chat_id, sender, number), ALGORITHM=INPLACE, LOCK=NONE;

-- Nullable, and filled as it is needed (ApplicationService for a new application, UserTokens for an
-- older one): during a rolling deploy, replicas of the version before keep creating applications
-- without one, and a backfill here would lock every row at once.
ALTER TABLE applications ADD COLUMN public_id CHAR(26) CHARACTER SET ascii COLLATE ascii_bin NULL, ALGORITHM=INSTANT;
ALTER TABLE applications ADD UNIQUE KEY uk_applications_public_id (public_id), ALGORITHM=INPLACE, LOCK=NONE;

-- A user's tokens carry the generation they were minted at; revoking them all bumps it.
CREATE TABLE user_token_generations (
    application_id BIGINT      NOT NULL,
    user_id        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    generation     INT         NOT NULL,
    updated_at     DATETIME(3) NOT NULL,
    PRIMARY KEY (application_id, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
