-- New authorizations for a user who already holds a login means ("Nieuwe machtigingen
-- aanvragen"): one order per request, with what each authorization cost, so an invoice can
-- always be explained.
CREATE TABLE authorization_orders (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id         uuid NOT NULL REFERENCES organizations(id),
    user_id        uuid NOT NULL REFERENCES users(id),
    ordered_by     uuid NOT NULL REFERENCES users(id),
    level          text NOT NULL CHECK (level IN ('EH2', 'EH2+', 'EH3', 'EH4')),
    validity_years integer NOT NULL CHECK (validity_years IN (1, 3, 5)),
    subtotal_cents bigint NOT NULL CHECK (subtotal_cents >= 0),
    vat_cents      bigint NOT NULL CHECK (vat_cents >= 0),
    total_cents    bigint NOT NULL CHECK (total_cents = subtotal_cents + vat_cents),
    terms_version  integer NOT NULL REFERENCES terms(version),
    ordered_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX authorization_orders_org ON authorization_orders (org_id, ordered_at DESC);

CREATE TABLE authorization_order_items (
    order_id         uuid NOT NULL REFERENCES authorization_orders(id),
    authorization_id uuid NOT NULL REFERENCES authorizations(id),
    cents            bigint NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (order_id, authorization_id)
);
