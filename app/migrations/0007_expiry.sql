-- Expiry, unattended (authorizations::expiry). Each authorization's notice goes out once per
-- validity period: `notice_sent_for` is the end date it was sent for, so a renewal (a new end
-- date) starts a new one. Each invitation is reminded once before it expires.
ALTER TABLE authorizations ADD COLUMN notice_sent_for timestamptz;
ALTER TABLE invitations ADD COLUMN reminded_at timestamptz;
CREATE INDEX invitations_open ON invitations (expires_at)
    WHERE used_at IS NULL AND revoked_at IS NULL AND reminded_at IS NULL;
