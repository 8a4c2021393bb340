-- Applications are found by the SHA-256 of their token, and the token itself is no longer stored
-- (see Tokens.java). The unique key on the hash keeps a token, deleted or not, from being issued
-- twice, as the one on the token did.
ALTER TABLE applications ADD COLUMN token_hash BINARY(32) NULL AFTER id;
UPDATE applications SET token_hash = UNHEX(SHA2(token, 256));
ALTER TABLE applications
    MODIFY token_hash BINARY(32) NOT NULL,
    ADD UNIQUE KEY uk_applications_token_hash (token_hash),
    DROP KEY uk_applications_token,
    DROP COLUMN token;
