-- Searching users (the Machtigingen overview, Gebruikers, choosing a user to authorize): every
-- word of the search must begin a word of the user's name, e-mail address or username, in any
-- order, without regard to case or accents ("ozdemir" finds "Özdemir", "sara verm" finds
-- "Vermeulen, Sara" and sara.vermeulen@...).
--
-- It replaces a substring match (search_text LIKE '%a%b%') that no index could answer in the
-- overview's order: a search walked the users in name order until a page was full, and a last
-- name late in the alphabet walked about 190,000 users at 200,000 (71 pages a second,
-- docs/benchmarks.md); the trigram index finds the matches but not in name order, so every match
-- was read and sorted for each page. user_words holds each word of each user behind its first
-- three letters and then the name order, so a search reads its matches in the overview's order.

-- The extension is trusted (no superuser needed since PostgreSQL 13), like pg_trgm.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- The words of a text as a search compares them: accents taken off, lower case, split at every
-- ASCII character that is not a letter or a digit (other scripts stay whole words). The server
-- splits a search with this same function, so both sides always agree.
CREATE FUNCTION search_words(t text) RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT w ORDER BY w), '{}')
      FROM regexp_split_to_table(lower(unaccent(t)), '[^a-z0-9\u0080-\U0010ffff]+') AS w
     WHERE w <> ''
$$;

-- The words of a user as a search compares them.
CREATE FUNCTION words_of(u users) RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT search_words(concat_ws(' ', u.first_name, u.infix, u.last_name, u.email, u.username))
$$;

-- Whether every search word begins a word of the user (for lists that check each user they read:
-- Gebruikers, and choosing a user in "Nieuwe machtigingen aanvragen").
CREATE FUNCTION user_matches(u users, terms text[]) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM unnest(terms) AS t
         WHERE NOT EXISTS (SELECT 1 FROM unnest(words_of(u)) AS w WHERE starts_with(w, t)))
$$;

-- Each word of each user, behind its first three letters and then the name order (sort_key is a
-- copy of users.sort_key), with the word itself included: a search word of three letters or more
-- reads its matches in the overview's order, the rest of the word checked in the index; one of
-- one or two letters walks the users instead (src/server/search.rs). One index and no key or
-- foreign key, because every entry is paid for when the add-users wizard inserts 10,000 users in
-- one statement (budget 2 s; a key, the foreign key's check per row and a second index cost it
-- 1.7 s more). A user's entries are found by the same index (their words' first three letters,
-- their sort key, their id).
CREATE TABLE user_words (
    user_id  uuid NOT NULL,
    word     text NOT NULL,
    sort_key text NOT NULL
);

INSERT INTO user_words (user_id, word, sort_key)
SELECT u.id, w, u.sort_key FROM users u, unnest(words_of(u)) AS w;

CREATE INDEX user_words_by_head ON user_words (left(word, 3), sort_key, user_id) INCLUDE (word);

-- New users, set-based: one statement for all of the wizard's users.
CREATE FUNCTION new_users_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO user_words (user_id, word, sort_key)
    SELECT n.id, w, n.sort_key FROM new_users n, unnest(words_of(n)) AS w;
    RETURN NULL;
END $$;
CREATE TRIGGER users_words_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_users
    FOR EACH STATEMENT EXECUTE FUNCTION new_users_words();

-- A user's entries, found by the index: their words' first three letters, their old sort key,
-- their id.
CREATE FUNCTION forget_user_words(u users) RETURNS void LANGUAGE sql AS $$
    DELETE FROM user_words w
     WHERE left(w.word, 3) = ANY (ARRAY(SELECT DISTINCT left(x, 3) FROM unnest(words_of(u)) AS x))
       AND w.sort_key = u.sort_key AND w.user_id = u.id
$$;

-- A changed name, e-mail address or username: one user at a time.
CREATE FUNCTION changed_user_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM forget_user_words(OLD);
    INSERT INTO user_words (user_id, word, sort_key)
    SELECT NEW.id, w, NEW.sort_key FROM unnest(words_of(NEW)) AS w;
    RETURN NULL;
END $$;
CREATE TRIGGER users_words_update AFTER UPDATE OF first_name, infix, last_name, email, username
    ON users FOR EACH ROW EXECUTE FUNCTION changed_user_words();

-- The portal never deletes users; whoever does by hand leaves no words behind.
CREATE FUNCTION deleted_users_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM forget_user_words(o) FROM old_users o;
    RETURN NULL;
END $$;
CREATE TRIGGER users_words_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_users
    FOR EACH STATEMENT EXECUTE FUNCTION deleted_users_words();

-- A position in the name order; a search with several words steps through the users where all
-- of them match by taking the greatest of each word's next position.
CREATE TYPE name_position AS (sort_key text, user_id uuid);

-- What pays for the words in the add-users wizard's statements (docs/benchmarks.md):
-- - an authorization's user and organization were each checked by a foreign key of their own and
--   again, together, by the one to memberships, whose own foreign keys check both: the two single
--   ones checked nothing more, at 10,000 authorizations about 0.4 s;
-- - the trigram index of users.search_text: no search reads it any more (about 0.14 s at 10,000
--   users). The column and its sort index stay: a previous version, still running during a
--   rolling upgrade, searches on them (without this index it walks the users, as it did for the
--   overview), and a search of one- or two-letter words walks the sort index.
ALTER TABLE authorizations DROP CONSTRAINT authorizations_user_id_fkey,
                           DROP CONSTRAINT authorizations_org_id_fkey;
DROP INDEX users_search;
