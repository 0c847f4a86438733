-- The notices the expiry job sent, one row per authorization and the end date it was sent for
-- (a renewal's new end date starts a new validity period, with a notice of its own). They were a
-- column of authorizations: marking 20,000 notices sent then rewrote 20,000 rows of the widest
-- table and an entry in each of its six indexes, 2.4 of the run's 3.7 s at 1,000,000
-- authorizations (now 0.15 s). Rows whose end date passed are pruned by the job: they can never be
-- due again. No foreign key: authorizations are never deleted, and checking one per notice was
-- half the cost of the insert.
CREATE TABLE authorization_notices (
    authorization_id uuid NOT NULL,
    valid_until timestamptz NOT NULL,
    PRIMARY KEY (authorization_id, valid_until)
);
INSERT INTO authorization_notices (authorization_id, valid_until)
    SELECT id, notice_sent_for FROM authorizations
     WHERE notice_sent_for IS NOT NULL AND notice_sent_for > now();
ALTER TABLE authorizations DROP COLUMN notice_sent_for;
