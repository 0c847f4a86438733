-- The new user's acceptance of an application, identity verification, the broker's final
-- check and issuing.

-- A user created by an application has no usable login means until it is issued.
ALTER TABLE users DROP CONSTRAINT users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check
    CHECK (status IN ('pending', 'active', 'blocked'));
UPDATE users u SET status = 'pending'
 WHERE u.password_hash IS NULL
   AND EXISTS (SELECT 1 FROM application_users au WHERE au.user_id = u.id AND au.status <> 'issued');

-- Where an applicant stands within the acceptance and after it. Each step keeps its moment,
-- so "Lopende aanvragen" can show them.
ALTER TABLE application_users
    ADD COLUMN confirmed_at             timestamptz,
    ADD COLUMN mobile_verified_at       timestamptz,
    ADD COLUMN credentials_set_at       timestamptz,
    ADD COLUMN ordered_at               timestamptz,
    ADD COLUMN verification_reference   text UNIQUE,
    ADD COLUMN verification_url         text,
    ADD COLUMN verification_deadline    timestamptz,
    ADD COLUMN verification_reminded_at timestamptz,
    ADD COLUMN verified_at              timestamptz,
    ADD COLUMN decided_by               uuid REFERENCES users(id),
    ADD COLUMN decided_at               timestamptz,
    ADD COLUMN rejection_reason         text CHECK (length(rejection_reason) <= 1000),
    ADD COLUMN issued_at                timestamptz;
CREATE INDEX application_users_status ON application_users(status, updated_at);

-- The SMS codes that confirm the mobile number during acceptance: stored hashed, per
-- invitation link, with their own tries.
CREATE TABLE acceptance_codes (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invitation_id uuid NOT NULL REFERENCES invitations(id),
    code_hash     bytea NOT NULL,
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX acceptance_codes_invitation ON acceptance_codes(invitation_id, created_at DESC);

-- Every webhook event of the identity-verification partner, once: a replay finds its row.
CREATE TABLE verification_events (
    event_id    text PRIMARY KEY CHECK (length(event_id) BETWEEN 1 AND 200),
    reference   text NOT NULL,
    result      text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
