-- What a reindex queued waits behind what writes queued: without this, the indexer's key order put a
-- new message behind every outbox row of an older chat, and a reindex of a million messages made new
-- ones searchable only once it was done. The index is the indexer's claim order: live rows first,
-- then the reindex's, each in key order.
ALTER TABLE search_outbox
    ADD COLUMN reindex BOOLEAN NOT NULL DEFAULT FALSE,
    ADD INDEX idx_search_outbox_claim (reindex, chat_id, number),
    ALGORITHM=INPLACE, LOCK=NONE;
