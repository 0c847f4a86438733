//! Mijn account: the signed-in user's own details and password.

use super::error::{ServiceError, ServiceResult};
use super::session::SessionUser;
use super::state::AppState;
use super::{audit, outbox, passwords, session, signin, throttle};
use crate::api::auth::Me;
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::level::AssuranceLevel;
use crate::domain::new_user::full_name;
use crate::domain::password::{self, HISTORY_SIZE};
use crate::domain::phone::MobileNumber;
use sqlx::{PgPool, Row};

pub async fn me(pool: &PgPool, caller: &SessionUser) -> ServiceResult<Me> {
    let r = sqlx::query(
        "SELECT first_name, infix, last_name, email, mobile, level FROM users WHERE id = $1",
    )
    .bind(caller.user_id)
    .fetch_one(pool)
    .await?;
    let name = full_name(r.get("first_name"), r.get("infix"), r.get("last_name"));
    let mobile = MobileNumber::parse(r.get("mobile")).map_err(ServiceError::internal)?;
    Ok(Me {
        username: caller.username.clone(),
        name,
        email: r.get("email"),
        mobile: mobile.masked(),
        level: AssuranceLevel::parse(r.get("level")).map_err(ServiceError::internal)?,
        is_manager: caller.is_manager(),
        is_operator: caller.is_operator,
    })
}

/// Changes the password: the current one must match, the new one must meet the policy and
/// differ from the last five. Every session of the user ends and the caller gets a new one (the
/// returned token); the user gets an e-mail about it.
pub async fn change_password(
    state: &AppState,
    caller: &SessionUser,
    current: String,
    new: String,
    ip: Option<std::net::IpAddr>,
) -> ServiceResult<String> {
    if let Some(rule) = password::check(&new, &caller.username).first_failure() {
        return Err(ApiError::validation(Field::NewPassword, rule.into()).into());
    }
    // The current password is a secret like any other: its check takes an attempt under the
    // account's lock (a stolen session cannot guess it without limit).
    let account = signin::account_key(&caller.username);
    let attempt = throttle::attempt(
        &state.pool,
        &[(account.clone(), state.settings.account_throttle())],
    )
    .await?;
    // The hashing (deliberately slow) happens outside any transaction, so no row lock or pooled
    // connection is held meanwhile; the update then checks that the password it replaces is
    // still the one that was checked.
    let user =
        sqlx::query("SELECT password_hash, first_name, email, language FROM users WHERE id = $1")
            .bind(caller.user_id)
            .fetch_one(&state.pool)
            .await?;
    let checked: String = user.get("password_hash");
    let (attempt, matched) = attempt
        .check(
            &state.pool,
            passwords::matches_any(current, vec![checked.clone()]),
        )
        .await?;
    if !matched {
        attempt.failed();
        return Err(ApiError::validation(Field::CurrentPassword, Rule::Wrong).into());
    }
    let history: Vec<String> = sqlx::query_scalar(
        "SELECT hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(caller.user_id)
    .bind(HISTORY_SIZE as i64)
    .fetch_all(&state.pool)
    .await?;
    let (attempt, recently_used) = attempt
        .check(&state.pool, passwords::matches_any(new.clone(), history))
        .await?;
    if recently_used {
        attempt.not_made(&state.pool).await?;
        return Err(ApiError::validation(Field::NewPassword, Rule::RecentlyUsed).into());
    }
    let (attempt, hash) = attempt.check(&state.pool, passwords::hash(new)).await?;
    let mut tx = state.pool.begin().await?;
    let replaced =
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3")
            .bind(caller.user_id)
            .bind(&hash)
            .bind(&checked)
            .execute(&mut *tx)
            .await?;
    if replaced.rows_affected() != 1 {
        // Changed by another request since it was checked: check again against the new one.
        drop(tx);
        attempt.not_made(&state.pool).await?;
        return Err(ApiError::validation(Field::CurrentPassword, Rule::Wrong).into());
    }
    attempt.passed(&mut tx, &[account]).await?;
    remember_password(&mut tx, caller.user_id, &hash).await?;
    let token = session::rotate_all(&mut tx, caller.user_id, ip).await?;
    let (subject, body) = outbox::messages::password_changed_email(
        user.get("language"),
        user.get("first_name"),
        &state.settings.public_url,
    );
    outbox::enqueue_email(
        &mut tx,
        user.get("email"),
        &subject,
        &body,
        outbox::Content::Plain,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(caller.user_id),
        audit::Action::AccountPasswordChanged,
        None,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Adds a hash to the user's history and keeps only the last five.
pub async fn remember_password(
    conn: &mut sqlx::PgConnection,
    user_id: uuid::Uuid,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO password_history (user_id, hash) VALUES ($1, $2)")
        .bind(user_id)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM password_history WHERE user_id = $1 AND id NOT IN
           (SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(HISTORY_SIZE as i64)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The user's language ("nl" or "en"), for what the server writes for them (an export).
pub async fn language_of(pool: &PgPool, user_id: uuid::Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await
}
