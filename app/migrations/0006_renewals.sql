-- Renewing and re-activating authorizations: one order for one or many, with what each
-- authorization ran until before and its price, so a renewal can always be explained.
CREATE TABLE renewals (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ordered_by     uuid NOT NULL REFERENCES users(id),
    validity_years integer NOT NULL CHECK (validity_years IN (1, 3, 5)),
    subtotal_cents bigint NOT NULL CHECK (subtotal_cents >= 0),
    vat_cents      bigint NOT NULL CHECK (vat_cents >= 0),
    total_cents    bigint NOT NULL CHECK (total_cents = subtotal_cents + vat_cents),
    ordered_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE renewal_items (
    renewal_id       uuid NOT NULL REFERENCES renewals(id),
    authorization_id uuid NOT NULL REFERENCES authorizations(id),
    previous_state   text NOT NULL CHECK (previous_state IN ('active', 'expired')),
    previous_until   timestamptz NOT NULL,
    new_until        timestamptz NOT NULL CHECK (new_until >= previous_until OR previous_state = 'expired'),
    cents            bigint NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (renewal_id, authorization_id)
);
CREATE INDEX renewal_items_authorization ON renewal_items (authorization_id);

-- "Verloopt binnenkort": active authorizations by end date.
CREATE INDEX authorizations_ending ON authorizations (valid_until) WHERE state = 'active';
