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
-- letters and then the name order, so a search reads its matches in the overview's order.

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

-- sort_key is a copy of users.sort_key, so that the indexes can put the name order behind a word.
CREATE TABLE user_words (
    user_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    word     text NOT NULL,
    sort_key text NOT NULL,
    PRIMARY KEY (user_id, word)
);

-- The words of new users, set-based: the add-users wizard inserts up to 10,000 users in one
-- statement (its budget is 2 s); a trigger per row would run its two statements 10,000 times.
CREATE FUNCTION new_users_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO user_words (user_id, word, sort_key)
    SELECT n.id, w, n.sort_key
      FROM new_users n,
           unnest(search_words(concat_ws(' ', n.first_name, n.infix, n.last_name, n.email,
                                         n.username))) AS w;
    RETURN NULL;
END $$;
CREATE TRIGGER users_words_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_users
    FOR EACH STATEMENT EXECUTE FUNCTION new_users_words();

-- A changed name, e-mail address or username: one user at a time.
CREATE FUNCTION changed_user_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM user_words WHERE user_id = NEW.id;
    INSERT INTO user_words (user_id, word, sort_key)
    SELECT NEW.id, w, NEW.sort_key
      FROM unnest(search_words(concat_ws(' ', NEW.first_name, NEW.infix, NEW.last_name,
                                         NEW.email, NEW.username))) AS w;
    RETURN NULL;
END $$;
CREATE TRIGGER users_words_update AFTER UPDATE OF first_name, infix, last_name, email, username
    ON users FOR EACH ROW EXECUTE FUNCTION changed_user_words();

INSERT INTO user_words (user_id, word, sort_key)
SELECT u.id, w, u.sort_key
  FROM users u,
       unnest(search_words(concat_ws(' ', u.first_name, u.infix, u.last_name, u.email, u.username))) AS w;

-- A search word of three letters or more is looked up behind its first three (about as many
-- entries as it has matches, ordered by name); a shorter one behind its first letter. The word is
-- included so that the rest of it is checked in the index.
CREATE INDEX user_words_by_head ON user_words (left(word, 3), sort_key, user_id) INCLUDE (word);
CREATE INDEX user_words_by_initial ON user_words (left(word, 1), sort_key, user_id) INCLUDE (word);

-- A position in the name order; a search with several words steps through the users where all
-- of them match by taking the greatest of each word's next position.
CREATE TYPE name_position AS (sort_key text, user_id uuid);

-- Whether every search word begins a word of the user (for lists that walk users in name order
-- anyway: Gebruikers, and choosing a user in "Nieuwe machtigingen aanvragen").
CREATE FUNCTION user_matches(uid uuid, terms text[]) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM unnest(terms) AS t
         WHERE NOT EXISTS (SELECT 1 FROM user_words w
                            WHERE w.user_id = uid AND starts_with(w.word, t)))
$$;

-- users.search_text and its two indexes are no longer read, but stay while a previous version may
-- still run beside this one (a rolling upgrade: migrations only add what old code ignores); a
-- later release drops them.
