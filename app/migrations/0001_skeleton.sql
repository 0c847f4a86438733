-- Machtig's first schema: organizations, users and their authorizations, sessions, sign-in
-- challenges and throttling, the outbox and the audit log. CHECK constraints repeat the
-- domain's type rules so that no path into the database can store what the types refuse.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE organizations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kvk_number  text NOT NULL UNIQUE CHECK (kvk_number ~ '^[0-9]{8}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    street      text NOT NULL,
    postal_code text NOT NULL,
    city        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE branches (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid NOT NULL REFERENCES organizations(id),
    branch_number text NOT NULL UNIQUE CHECK (branch_number ~ '^[0-9]{12}$'),
    name          text NOT NULL,
    street        text NOT NULL,
    postal_code   text NOT NULL,
    city          text NOT NULL
);
CREATE INDEX branches_org ON branches(org_id);

CREATE TABLE services (
    service_uuid uuid NOT NULL,
    provider     text NOT NULL,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description  text NOT NULL CHECK (length(description) <= 1024),
    min_level    text NOT NULL CHECK (min_level IN ('EH2', 'EH2+', 'EH3', 'EH4')),
    PRIMARY KEY (service_uuid, provider)
);

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username      text UNIQUE CHECK (username ~ '^[a-z0-9._@-]{3,64}$'),
    password_hash text,
    first_name    text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    infix         text NOT NULL DEFAULT '' CHECK (length(infix) <= 30),
    last_name     text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email         text NOT NULL CHECK (email LIKE '%_@_%.__%'),
    mobile        text NOT NULL CHECK (mobile ~ '^\+[1-9][0-9]{7,14}$'),
    date_of_birth date,
    level         text NOT NULL CHECK (level IN ('EH2', 'EH2+', 'EH3', 'EH4')),
    language      text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    is_operator   boolean NOT NULL DEFAULT false,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Keyset paging orders on (sort_key, id); search matches on search_text.
    sort_key      text GENERATED ALWAYS AS (lower(last_name || ' ' || first_name || ' ' || infix)) STORED,
    search_text   text GENERATED ALWAYS AS (
        lower(first_name || ' ' || infix || ' ' || last_name || ' ' || email || ' ' || coalesce(username, ''))
    ) STORED,
    CHECK ((username IS NULL) = (password_hash IS NULL))
);
CREATE INDEX users_sort ON users(sort_key, id);
CREATE INDEX users_search ON users USING gin (search_text gin_trgm_ops);

CREATE TABLE password_history (
    id         bigserial PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_history_user ON password_history(user_id, id DESC);

-- A user linked to an organization.
CREATE TABLE memberships (
    user_id    uuid NOT NULL REFERENCES users(id),
    org_id     uuid NOT NULL REFERENCES organizations(id),
    employed   boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, org_id)
);
CREATE INDEX memberships_org ON memberships(org_id, user_id);

-- Authorizations (machtigingen). kind 'admin' is the authorization manager's right,
-- 'all_services' covers every service up to the level, 'service' one ServiceUUID.
CREATE TABLE authorizations (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users(id),
    org_id       uuid NOT NULL REFERENCES organizations(id),
    kind         text NOT NULL CHECK (kind IN ('admin', 'all_services', 'service')),
    service_uuid uuid,
    level        text NOT NULL CHECK (level IN ('EH2', 'EH2+', 'EH3', 'EH4')),
    branch_id    uuid REFERENCES branches(id),
    valid_from   timestamptz NOT NULL,
    valid_until  timestamptz NOT NULL,
    state        text NOT NULL CHECK (state IN ('pending', 'active', 'expired', 'revoked')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'service') = (service_uuid IS NOT NULL)),
    CHECK (valid_until > valid_from AND valid_until <= valid_from + interval '5 years 1 day'),
    FOREIGN KEY (user_id, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX authorizations_user ON authorizations(user_id, kind, state);
CREATE INDEX authorizations_org ON authorizations(org_id);

CREATE TABLE sessions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash   bytea NOT NULL UNIQUE,
    user_id      uuid NOT NULL REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    client_ip    inet
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The second sign-in step: a one-time SMS code, stored hashed, with its own tries.
CREATE TABLE signin_challenges (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash bytea NOT NULL UNIQUE,
    user_id    uuid NOT NULL REFERENCES users(id),
    code_hash  bytea NOT NULL,
    attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Failed sign-ins, keyed by 'account:<username>' and 'address:<ip>'.
CREATE TABLE signin_failures (
    id  bigserial PRIMARY KEY,
    key text NOT NULL,
    at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signin_failures_key ON signin_failures(key, at);

-- Messages written in the same transaction as the change that causes them, delivered by
-- the outbox worker. `sensitive` bodies (one-time codes) are erased after delivery in
-- production.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       text NOT NULL,
    subject         text,
    body            text NOT NULL,
    sensitive       boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    CHECK ((channel = 'email') = (subject IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';

CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   uuid REFERENCES users(id),
    action     text NOT NULL,
    org_id     uuid REFERENCES organizations(id),
    subject_id uuid,
    details    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
