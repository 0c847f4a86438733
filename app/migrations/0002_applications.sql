-- Applications (aanvragen) from the add-users wizard: the manager's draft, the tariff table and
-- terms as data, the submitted application, and per new user an invitation with a hashed,
-- single-use, expiring token.

-- Prices are data the operator can change; integer cents, excluding VAT.
CREATE TABLE tariffs (
    level  text NOT NULL CHECK (level IN ('EH2', 'EH2+', 'EH3', 'EH4')),
    years  integer NOT NULL CHECK (years IN (1, 3, 5)),
    cents  bigint NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (level, years)
);
-- Indicative tariffs from ../shared/domain.md.
INSERT INTO tariffs (level, years, cents) VALUES
    ('EH2', 1, 1000), ('EH2', 3, 1500), ('EH2', 5, 2000),
    ('EH2+', 1, 1000), ('EH2+', 3, 2000), ('EH2+', 5, 2500),
    ('EH3', 1, 1500), ('EH3', 3, 2500), ('EH3', 5, 3500),
    ('EH4', 1, 1000), ('EH4', 3, 2500), ('EH4', 5, 4000);

CREATE TABLE pricing (
    only_row          boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    vat_basis_points  integer NOT NULL CHECK (vat_basis_points BETWEEN 0 AND 10000)
);
INSERT INTO pricing (vat_basis_points) VALUES (2100);

-- The terms a manager agrees to; the newest version is the one shown.
CREATE TABLE terms (
    version      integer PRIMARY KEY,
    published_at timestamptz NOT NULL DEFAULT now(),
    body_nl      text NOT NULL,
    body_en      text NOT NULL
);

INSERT INTO terms (version, body_nl, body_en) VALUES (1,
'Voorwaarden Machtig, versie 1

1. U vraagt als machtigingenbeheerder namens de organisatie inlogmiddelen en machtigingen aan voor de genoemde personen. U verklaart dat u daartoe bevoegd bent.
2. Elk inlogmiddel is persoonlijk en niet overdraagbaar. De gebruiker bewaart zijn wachtwoord en mobiele telefoon zorgvuldig.
3. Machtigingen gelden voor de gekozen looptijd (1, 3 of 5 jaar) en eindigen daarna vanzelf, tenzij ze worden verlengd. U kunt een machtiging op elk moment intrekken.
4. De vermelde prijs geldt per machtiging voor de gekozen looptijd, exclusief btw. De factuur volgt na uitgifte.
5. Gebruikers die niet in loondienst zijn van de organisatie doorlopen eerst een identiteitscontrole en een eindcontrole.
6. Wij verwerken persoonsgegevens alleen om het inlogmiddel uit te geven en te beheren, volgens onze privacyverklaring.',
'Machtig terms, version 1

1. As authorization manager you apply on behalf of the organization for login means and authorizations for the persons named. You declare that you are entitled to do so.
2. Each login means is personal and non-transferable. The user keeps their password and mobile phone safe.
3. Authorizations are valid for the chosen period (1, 3 or 5 years) and end by themselves afterwards unless renewed. You can revoke an authorization at any time.
4. The price shown applies per authorization for the chosen period, excluding VAT. The invoice follows issuing.
5. Users not employed by the organization first go through identity verification and a final check.
6. We process personal data only to issue and manage the login means, as our privacy statement describes.');

-- One wizard draft per manager, kept across reloads and lost connections.
CREATE TABLE wizard_drafts (
    manager_id uuid PRIMARY KEY REFERENCES users(id),
    data       jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE applications (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL REFERENCES organizations(id),
    level             text NOT NULL CHECK (level IN ('EH2', 'EH2+', 'EH3', 'EH4')),
    branch_id         uuid REFERENCES branches(id),
    all_services      boolean NOT NULL,
    with_authorizations boolean NOT NULL,
    validity_years    integer NOT NULL CHECK (validity_years IN (1, 3, 5)),
    subtotal_cents    bigint NOT NULL CHECK (subtotal_cents >= 0),
    vat_cents         bigint NOT NULL CHECK (vat_cents >= 0),
    total_cents       bigint NOT NULL CHECK (total_cents = subtotal_cents + vat_cents),
    terms_version     integer NOT NULL REFERENCES terms(version),
    submitted_by      uuid NOT NULL REFERENCES users(id),
    submitted_at      timestamptz NOT NULL DEFAULT now(),
    -- The browser's key for this submission: a retry or double click finds the first one.
    idempotency_key   uuid NOT NULL,
    UNIQUE (submitted_by, idempotency_key)
);
CREATE INDEX applications_org ON applications(org_id, submitted_at DESC);

CREATE TABLE application_services (
    application_id uuid NOT NULL REFERENCES applications(id),
    service_uuid   uuid NOT NULL,
    PRIMARY KEY (application_id, service_uuid)
);

-- A new user within an application, and where their acceptance stands.
CREATE TABLE application_users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications(id),
    user_id        uuid NOT NULL REFERENCES users(id),
    status         text NOT NULL DEFAULT 'invited' CHECK (status IN
        ('invited', 'accepted', 'identity_verification', 'final_check', 'issued', 'rejected',
         'expired', 'cancelled')),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (application_id, user_id)
);
CREATE INDEX application_users_app ON application_users(application_id);
CREATE INDEX application_users_user ON application_users(user_id);

-- Personal invitation links: only the SHA-256 of the token is stored. A resend revokes the
-- previous link.
CREATE TABLE invitations (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_user_id uuid NOT NULL REFERENCES application_users(id),
    token_hash          bytea NOT NULL UNIQUE,
    expires_at          timestamptz NOT NULL,
    used_at             timestamptz,
    revoked_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_app_user ON invitations(application_user_id);

-- "Already a user of this organization" is checked on e-mail address.
CREATE INDEX users_email ON users(lower(email));
