//! Searching users by name, e-mail address or username: every word of the search must begin a
//! word of the user, in any order, without regard to case or accents. The words of both sides
//! come from one SQL function, `search_words` (migration 0015), so they always agree; the user's
//! words are kept in `user_words` by a trigger.

use super::error::ServiceResult;

/// The search's words as the database compares them, without those another word already implies
/// ("sa sara" asks no more than "sara"). Empty when there is nothing to search for.
pub(crate) async fn words<'e>(
    db: impl sqlx::PgExecutor<'e>,
    search: &str,
) -> ServiceResult<Vec<String>> {
    if search.trim().is_empty() {
        return Ok(Vec::new());
    }
    let words = match ascii_words(search) {
        Some(words) => words,
        None => {
            sqlx::query_scalar("SELECT search_words($1)")
                .bind(search)
                .fetch_one(db)
                .await?
        }
    };
    if words.is_empty() {
        // Only punctuation: no user's word holds it (they are split there), so this finds
        // nobody, as typed, instead of everybody.
        return Ok(vec![search.trim().to_string()]);
    }
    Ok(without_implied(words))
}

/// `search_words` of a search of plain ASCII, worked out here to save a round trip: `unaccent`
/// and `lower` change nothing there but capitals, so its words are the runs of a-z and 0-9 (in
/// another order and with repeats, which `without_implied` removes). `None` for other searches,
/// which only the database splits as it splits the users' words.
pub fn ascii_words(search: &str) -> Option<Vec<String>> {
    search.is_ascii().then(|| {
        search
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    })
}

/// How many letters of a word `user_words` is indexed behind (migration 0015).
pub(crate) const HEAD: usize = 3;

/// Whether `word` is long enough to be looked up behind its first letters in name order; a
/// shorter one is checked while walking the users (`users_walk`).
pub(crate) fn is_indexed(word: &str) -> bool {
    word.chars().count() >= HEAD
}

/// A FROM item `s (sort_key, user_id)`: the users whose words the first (longest) of `words`
/// begins, bound as a text array at `$n`, in name order, for a list that checks every word with
/// `user_matches(u, $n)` and orders by `s.sort_key, s.user_id`. So a search reads about its
/// own matches instead of walking every user until a page is full.
pub(crate) fn users_by_first_word(words: &[String], n: usize) -> String {
    if words.first().is_some_and(|w| is_indexed(w)) {
        format!(
            "(SELECT DISTINCT w.sort_key, w.user_id FROM user_words w
               WHERE left(w.word, {HEAD}) = left((${n}::text[])[1], {HEAD})
                 AND starts_with(w.word, (${n}::text[])[1])) s"
        )
    } else {
        let walk = users_walk(&format!("${n}::text[]"));
        format!("(SELECT u.sort_key, u.id AS user_id FROM users u WHERE {walk}) s")
    }
}

/// The condition on a user `u` read in name order (the index `users_sort_search`, which holds the
/// search text) when every word of the search (`words`, a text array) is shorter than `HEAD`: the
/// words of an ASCII search text are pieces of it, so the first word must occur in it; other
/// texts (accents, other scripts) are left to `user_matches`. As before words, such a search reads
/// the users until the page is full: quick for common beginnings like "de", slow only for rare
/// ones. `user_matches` is asked of the users that pass, through the primary key: written on `u`
/// it would need every user's row read, where the index alone answers the rest (0.7 against 1.0
/// ms for a page of "de", EXPLAIN ANALYZE at 200,000 users).
pub(crate) fn users_walk(words: &str) -> String {
    format!(
        "(strpos(u.search_text, ({words})[1]) > 0 OR u.search_text !~ '^[ -~]*$')
         AND EXISTS (SELECT 1 FROM users v WHERE v.id = u.id AND user_matches(v, {words}))"
    )
}

/// Drops every word that begins another (a word that begins a user's word is then matched too),
/// longest first, so the most selective word leads.
fn without_implied(mut words: Vec<String>) -> Vec<String> {
    words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    words.dedup();
    let mut kept: Vec<String> = Vec::new();
    for w in words {
        if !kept.iter().any(|k| k.starts_with(w.as_str())) {
            kept.push(w);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::without_implied;

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_word_that_begins_another_adds_nothing() {
        assert_eq!(
            without_implied(words(&["sa", "sara", "vermeulen", "v"])),
            words(&["vermeulen", "sara"])
        );
        // A word inside another is not implied: "ara" must begin a word of its own.
        assert_eq!(
            without_implied(words(&["ara", "sara"])),
            words(&["sara", "ara"])
        );
        assert_eq!(without_implied(words(&["jan", "jan"])), words(&["jan"]));
        assert!(without_implied(Vec::new()).is_empty());
    }

    #[test]
    fn words_of_three_letters_or_more_are_indexed() {
        assert!(super::is_indexed("sar"));
        assert!(super::is_indexed("één"));
        assert!(!super::is_indexed("sa"));
        assert!(!super::is_indexed("é"));
    }
}
