-- Link requests (koppelverzoeken): a manager asks an existing user, by e-mail address, to be
-- linked to one more of the manager's organizations; the user accepts or declines under Mijn
-- account. An address that belongs to nobody is stored alike (`user_id` NULL) and answered
-- alike, so a manager cannot probe who holds a login means.
CREATE TABLE link_requests (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES organizations(id),
    email        text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    user_id      uuid REFERENCES users(id),
    requested_by uuid NOT NULL REFERENCES users(id),
    status       text NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    decided_at   timestamptz
);
-- One open request per organization and address: asking again is the same request.
CREATE UNIQUE INDEX link_requests_open ON link_requests (org_id, lower(email)) WHERE status = 'open';
CREATE INDEX link_requests_user ON link_requests (user_id) WHERE status = 'open';
