-- A page of the Machtigingen overview, and each batch of its export, read every column they show
-- of an authorization from the index they walk in name order (authorizations_by_name without a
-- search, authorizations_overview with one), instead of fetching each row again by its key: with
-- valid_from and branch_id included, the page's authorizations come from the index alone. At
-- 1,000,000 authorizations a batch of 5,000 rows of the export took 88 to 110 ms in PostgreSQL
-- with the second fetch and 32 to 40 ms without (docs/benchmarks.md).
--
-- authorizations_managers holds the few active manager authorizations ("beheerder") per
-- organization: whether a row's user manages its organization is then one small lookup (or one
-- hashed read for a whole batch) instead of a probe of every authorization of the user.
DROP INDEX authorizations_by_name;
CREATE INDEX authorizations_by_name ON authorizations (user_sort_key, user_id, id)
    INCLUDE (org_id, state, kind, level, service_uuid, valid_until, valid_from, branch_id);
DROP INDEX authorizations_overview;
CREATE INDEX authorizations_overview ON authorizations (user_id, id)
    INCLUDE (org_id, state, kind, level, service_uuid, valid_until, valid_from, branch_id);
CREATE INDEX authorizations_managers ON authorizations (user_id, org_id)
    WHERE kind = 'admin' AND state = 'active';
