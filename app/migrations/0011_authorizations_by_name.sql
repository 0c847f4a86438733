-- The Machtigingen overview is ordered by the user's name. Without a search by name, walking the
-- users by name and probing each one's authorizations costs a probe per user for a rare filter
-- (a service, "Verloopt binnenkort": hundreds of users for a page of 25 at 1,000,000
-- authorizations). With the user's sort key on the authorization itself, one index holds the
-- overview's order and every filtered column, so such a page is one walk over adjacent index
-- entries. A search by name still walks the users (authorizations::overview,
-- docs/benchmarks.md).
--
-- user_sort_key is a copy of users.sort_key, kept by the triggers below: set on every new
-- authorization, and rewritten when a user's name changes.
ALTER TABLE authorizations ADD COLUMN user_sort_key text;
UPDATE authorizations z SET user_sort_key = u.sort_key FROM users u WHERE u.id = z.user_id;
ALTER TABLE authorizations ALTER COLUMN user_sort_key SET NOT NULL;

CREATE FUNCTION authorizations_user_sort_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT sort_key INTO NEW.user_sort_key FROM users WHERE id = NEW.user_id;
    RETURN NEW;
END $$;
CREATE TRIGGER authorizations_user_sort_key BEFORE INSERT OR UPDATE OF user_id ON authorizations
    FOR EACH ROW EXECUTE FUNCTION authorizations_user_sort_key();

CREATE FUNCTION users_sort_key_to_authorizations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE authorizations SET user_sort_key = NEW.sort_key WHERE user_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER users_sort_key_to_authorizations AFTER UPDATE ON users
    FOR EACH ROW WHEN (OLD.sort_key IS DISTINCT FROM NEW.sort_key)
    EXECUTE FUNCTION users_sort_key_to_authorizations();

CREATE INDEX authorizations_by_name ON authorizations (user_sort_key, user_id, id)
    INCLUDE (org_id, state, kind, level, service_uuid, valid_until);
