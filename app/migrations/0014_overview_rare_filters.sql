-- The two filters of the Machtigingen overview that keep few rows, a service and "Verloopt
-- binnenkort" (active, ending within 30, 60 or 90 days), walked authorizations_by_name and skipped
-- every row that did not pass: at 1,000,000 authorizations about 600 and 2,000 index entries per
-- page, which kept them over the page's budget (docs/benchmarks.md). Each gets an index in the
-- overview's order behind the column it filters on, so a page reads its own rows and nothing else.
--
-- A service is one value: the index starts with it.
CREATE INDEX authorizations_by_service ON authorizations (service_uuid, user_sort_key, user_id, id)
    INCLUDE (org_id, state, kind, level, valid_until, valid_from, branch_id);

-- An end date is a range, which an index cannot put before the name order. The index starts with
-- the 30-day period the end date falls in (days since 2000-01-01 in UTC, divided by 30; the
-- expression is written exactly so in app/src/server/authorizations/overview.rs): a page reads
-- each period from the first active one up to the one the filter ends in, in name order, and
-- merges them.
CREATE INDEX authorizations_ending_by_name ON authorizations (
        (((valid_until AT TIME ZONE 'UTC')::date - DATE '2000-01-01') / 30),
        user_sort_key, user_id, id)
    INCLUDE (org_id, kind, level, service_uuid, valid_until, valid_from, branch_id)
    WHERE state = 'active';
