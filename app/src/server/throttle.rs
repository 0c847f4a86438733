//! The one throttle for every check of a secret (a password at sign-in, an SMS code, the
//! current password when changing it) and for sending codes. An attempt is taken *before* the
//! check, under a per-key advisory lock: so N concurrent guesses cannot all pass the "is it
//! locked?" question before any of them is counted (check-then-act), and at most `threshold`
//! of them get to the check. A check that passes gives its attempt back (`passed`); a failed
//! one stays counted. The rule itself (how many, within what window, locked for how long) is
//! `domain::throttle::ThrottleRule`.

use super::error::ServiceResult;
use crate::api::ApiError;
use crate::domain::throttle::ThrottleRule;
use sqlx::{PgConnection, PgPool};

/// Attempts taken, to give back when the check passes.
#[must_use = "say whether the check passed; a dropped attempt counts as failed"]
pub struct Attempt {
    ids: Vec<i64>,
}

/// Takes one attempt under every key, or refuses (`TooManyAttempts`, with the longest wait)
/// when any key is locked; then nothing is counted.
pub async fn attempt(pool: &PgPool, keys: &[(String, ThrottleRule)]) -> ServiceResult<Attempt> {
    let mut keys: Vec<&(String, ThrottleRule)> = keys.iter().collect();
    // One order for the locks, so two attempts on overlapping keys cannot deadlock.
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tx = pool.begin().await?;
    let now = chrono::Utc::now();
    let mut wait: Option<u64> = None;
    for (key, rule) in &keys {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        // The newest `threshold` attempts decide: the rule looks at their spread and the last.
        let newest_first: Vec<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
            "SELECT at FROM signin_failures WHERE key = $1 ORDER BY at DESC LIMIT $2",
        )
        .bind(key)
        .bind(i64::from(rule.threshold))
        .fetch_all(&mut *tx)
        .await?;
        if let Some(until) = rule.locked_until(&newest_first, now) {
            let secs = (until - now).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(secs, |w| w.max(secs)));
        }
    }
    if let Some(retry_after_secs) = wait {
        return Err(ApiError::TooManyAttempts { retry_after_secs }.into());
    }
    let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO signin_failures (key) SELECT unnest($1::text[]) RETURNING id",
    )
    .bind(&names)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Attempt { ids })
}

impl Attempt {
    /// The check passed: this attempt was no failure, and the failures counted under `forgive`
    /// end too (the right password clears the account's count, not the address's). Call it in
    /// the transaction of what the check allowed, so both happen or neither.
    pub async fn passed(self, conn: &mut PgConnection, forgive: &[String]) -> ServiceResult<()> {
        sqlx::query("DELETE FROM signin_failures WHERE id = ANY($1) OR key = ANY($2)")
            .bind(&self.ids)
            .bind(forgive)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Makes the check (or a step on its way) with this attempt held. When it cannot be made
    /// at all (an error, e.g. `Busy` when every hashing slot is taken), the attempt is given
    /// back before the error is returned: only checks that were made count.
    pub async fn check<T>(
        self,
        pool: &PgPool,
        check: impl std::future::Future<Output = ServiceResult<T>>,
    ) -> ServiceResult<(Self, T)> {
        match check.await {
            Ok(answer) => Ok((self, answer)),
            Err(not_made) => {
                self.not_made(pool).await?;
                Err(not_made)
            }
        }
    }

    /// The check failed: the attempt stays counted.
    pub fn failed(self) {}

    /// Something else went wrong before the check was made (e.g. the code had expired): the
    /// attempt is given back without forgiving anything.
    pub async fn not_made(self, pool: &PgPool) -> ServiceResult<()> {
        let mut conn = pool.acquire().await?;
        self.passed(&mut conn, &[]).await
    }
}
