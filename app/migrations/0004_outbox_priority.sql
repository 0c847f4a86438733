-- Outbox priority: a one-time code is waited for by someone at a sign-in or acceptance screen
-- and expires within minutes, so it must not queue behind a bulk batch of invitations.
-- 0 = one-time code, 1 = everything else. The default is the bulk priority, so a direct
-- INSERT (the wizard's set-based invitations) can never jump the queue by omission.
ALTER TABLE outbox
    ADD COLUMN priority smallint NOT NULL DEFAULT 1 CHECK (priority IN (0, 1));

-- The claim reads this index in its ORDER BY (priority, next_attempt_at, id) and stops at the
-- first row it can lock, so claiming stays one short index scan however long the queue is
-- (EXPLAIN with 10,000 pending invitations: Index Scan using outbox_due, no Sort).
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(priority, next_attempt_at, id) WHERE status = 'pending';
