//! `server unlock USERNAME`: ends a sign-in lockout before it ends by itself, for a user who
//! called the helpdesk and proved who they are. Clears every attempt the throttle counts
//! against the account (wrong passwords, wrong codes, codes sent) and returns how many; a blocked account stays blocked (that is a decision, not a lockout).

use super::{refuse, AdminResult};
use crate::server::{audit, signin};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn unlock(pool: &PgPool, username: &str) -> AdminResult<u64> {
    let username = username.trim().to_lowercase();
    let mut tx = pool.begin().await?;
    let Some(user) =
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE username = $1 FOR UPDATE")
            .bind(&username)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return refuse(format!("no account has the username {username}"));
    };
    let cleared = sqlx::query("DELETE FROM signin_failures WHERE key = ANY($1)")
        .bind(signin::account_lock_keys(&username, user).to_vec())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    audit::record(
        &mut tx,
        None,
        audit::Action::AccountUnlocked,
        None,
        super::with_actor(serde_json::json!({
            "user_id": user, "attempts_cleared": cleared })),
    )
    .await?;
    tx.commit().await?;
    Ok(cleared)
}
