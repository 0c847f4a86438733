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
    let words: Vec<String> = sqlx::query_scalar("SELECT search_words($1)")
        .bind(search)
        .fetch_one(db)
        .await?;
    if words.is_empty() {
        // Only punctuation: no user's word holds it (they are split there), so this finds
        // nobody, as typed, instead of everybody.
        return Ok(vec![search.trim().to_string()]);
    }
    Ok(without_implied(words))
}

/// A FROM item `s (sort_key, user_id)`: the users whose words the first (longest) of `words`,
/// bound as a text array at `$n`, begins, in name order, for a list that checks every word with
/// `user_matches(u, $n)` and orders by `s.sort_key, s.user_id`. So a search reads about its
/// own matches instead of walking every user until a page is full.
pub(crate) fn users_by_first_word(n: usize) -> String {
    format!(
        "(SELECT DISTINCT w.sort_key, w.user_id FROM user_words w
           WHERE left(w.word, 1) = left((${n}::text[])[1], 1)
             AND starts_with(w.word, (${n}::text[])[1])) s"
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
}
