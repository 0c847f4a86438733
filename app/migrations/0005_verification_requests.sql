-- The identity-verification partner is asked after "Bestel" commits, not inside its
-- transaction: an ordered applicant waits in 'accepted' with a due request until the partner
-- answers; failed attempts are retried with backoff by the job.
ALTER TABLE application_users
    ADD COLUMN verification_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN verification_next_at  timestamptz;

CREATE INDEX application_users_verification_due ON application_users (verification_next_at)
    WHERE status = 'accepted' AND verification_next_at IS NOT NULL;

CREATE INDEX verification_events_reference ON verification_events (reference);
