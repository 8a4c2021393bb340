-- What a reindex queued waits behind what writes queued: without this, the indexer's key order put a
-- new message behind every outbox row of an older chat, and a reindex of a million messages made new
-- ones searchable only once it was done. The index is the indexer's claim order: live rows first,
-- then the reindex's, each in key order. Online, as V4 does it: the column instantly (no rebuild of
-- an outbox that a reindex may have filled), the index while writes go on.
ALTER TABLE search_outbox ADD COLUMN reindex BOOLEAN NOT NULL DEFAULT FALSE, ALGORITHM=INSTANT;
ALTER TABLE search_outbox ADD INDEX idx_search_outbox_claim (reindex, chat_id, number), ALGORITHM=INPLACE, LOCK=NONE;
