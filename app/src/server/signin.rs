//! Sign-in: username and password, then for EH2+ and up a 6-digit code by SMS.
//!
//! Invariants: an unknown username gets exactly the answer (and roughly the time) of a wrong
//! password; every password and code check takes an attempt from `throttle` first (per account
//! name, and for passwords per client address), so past the threshold attempts are refused
//! until the lock has passed, without checking, also when they arrive all at once; wrong codes
//! count towards the account's lock like wrong passwords; at most 5 codes are sent per account
//! in 15 minutes; a code is valid for 5 minutes, single use, and dies after 5 wrong tries.

use super::error::{ServiceError, ServiceResult};
use super::metrics::SigninOutcome;
use super::state::AppState;
use super::{audit, outbox, passwords, session, throttle, tokens};
use crate::api::auth::SignInStep;
use crate::api::ApiError;
use crate::domain::level::AssuranceLevel;
use crate::domain::phone::MobileNumber;
use sqlx::{PgPool, Row};
use std::net::IpAddr;
use uuid::Uuid;

pub const CODE_VALID_MINUTES: i32 = 5;
pub const CODE_MAX_ATTEMPTS: i32 = 5;

/// The result of a completed sign-in: the session token for the cookie.
pub struct SignedIn {
    pub token: String,
    pub user_id: Uuid,
}

pub enum Outcome {
    SignedIn(SignedIn),
    CodeSent { challenge: String, sent_to: String },
}

impl Outcome {
    pub fn step(&self) -> SignInStep {
        match self {
            Outcome::SignedIn(_) => SignInStep::SignedIn,
            Outcome::CodeSent { challenge, sent_to } => SignInStep::CodeSent {
                challenge: challenge.clone(),
                sent_to: sent_to.clone(),
            },
        }
    }
}

/// Longer than any username can be (64): such names are counted under their first 100
/// characters, which keeps the key small (a 5,000-character name is a wrong password, not an
/// index error).
const KEY_CHARS: usize = 100;

/// The name as typed, the way it is counted and logged: trimmed, lower case, at most
/// `KEY_CHARS` characters.
fn counted_name(username: &str) -> String {
    username
        .trim()
        .to_lowercase()
        .chars()
        .take(KEY_CHARS)
        .collect()
}

/// The key an account's failed checks count under (see `throttle`).
pub fn account_key(username: &str) -> String {
    format!("account:{}", counted_name(username))
}

/// The key an account's wrong SMS codes count under. Apart from the password's, because a right
/// password must not forgive wrong codes: else every new sign-in would give five more guesses.
fn code_key(username: &str) -> String {
    format!("code:{}", counted_name(username))
}

fn address_key(ip: Option<IpAddr>) -> Option<String> {
    ip.map(super::client_address::lockout_key)
}

fn sms_key(user_id: Uuid) -> String {
    format!("sms:{user_id}")
}

/// Every throttle key that can lock the account `username` (with id `user_id`) out of signing
/// in: its wrong passwords, wrong codes and codes sent. `server unlock` clears them.
pub fn account_lock_keys(username: &str, user_id: Uuid) -> [String; 3] {
    [account_key(username), code_key(username), sms_key(user_id)]
}

async fn record_failure(pool: &PgPool, username: &str) -> ServiceResult<()> {
    let mut tx = pool.begin().await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::SigninFailed,
        None,
        serde_json::json!({ "username": counted_name(username) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Step one: the password.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: String,
    ip: Option<IpAddr>,
) -> ServiceResult<Outcome> {
    let result = check_password(state, username, password, ip).await;
    let counted = match &result {
        Ok(Outcome::SignedIn(_)) => SigninOutcome::Succeeded,
        _ => SigninOutcome::CodeSent,
    };
    state.metrics.signin_result(&result, counted);
    result
}

async fn check_password(
    state: &AppState,
    username: &str,
    password: String,
    ip: Option<IpAddr>,
) -> ServiceResult<Outcome> {
    let mut keys = vec![(account_key(username), state.settings.account_throttle())];
    keys.extend(address_key(ip).map(|k| (k, state.settings.address_throttle())));
    let attempt = throttle::attempt(&state.pool, &keys).await?;
    let user = sqlx::query(
        "SELECT id, password_hash, level, mobile, language,
                is_operator OR EXISTS (
                    SELECT 1 FROM authorizations a
                    WHERE a.user_id = users.id AND a.kind = 'admin' AND a.state = 'active'
                      AND a.valid_from <= now() AND a.valid_until > now()) AS manages
         FROM users
         WHERE username = lower($1) AND status = 'active' AND password_hash IS NOT NULL",
    )
    .bind(username.trim())
    .fetch_optional(&state.pool)
    .await?;
    let hashes = user
        .iter()
        .map(|u| u.get::<String, _>("password_hash"))
        .collect();
    let (attempt, matched) = attempt
        .check(&state.pool, passwords::matches_any(password, hashes))
        .await?;
    if !matched {
        attempt.failed();
        record_failure(&state.pool, username).await?;
        return Err(ApiError::InvalidCredentials.into());
    }
    let user = user.ok_or_else(|| ServiceError::internal("password matched without a user"))?;
    let user_id: Uuid = user.get("id");
    let level = AssuranceLevel::parse(user.get("level")).map_err(ServiceError::internal)?;
    // Managers and operators act for others: they always confirm with the SMS code, whatever
    // the level of their own means.
    let second_factor = level.requires_second_factor() || user.get::<bool, _>("manages");

    let attempt = if second_factor {
        // Every code sent counts (it is not given back): a known password cannot be used to
        // flood the account's phone. A refused send gives the password's attempt back.
        let send = [(sms_key(user_id), state.settings.sms_throttle())];
        let (attempt, sent) = attempt
            .check(&state.pool, throttle::attempt(&state.pool, &send))
            .await?;
        sent.failed();
        attempt
    } else {
        attempt
    };

    let mut tx = state.pool.begin().await?;
    attempt.passed(&mut tx, &[account_key(username)]).await?;
    let outcome = if second_factor {
        let mobile = MobileNumber::parse(user.get("mobile")).map_err(ServiceError::internal)?;
        let challenge = tokens::new_token();
        let challenge_hash = tokens::hash_token(&challenge);
        let code = tokens::new_code();
        sqlx::query(
            "INSERT INTO signin_challenges (token_hash, user_id, code_hash, expires_at)
             VALUES ($1, $2, $3, now() + make_interval(mins => $4))",
        )
        .bind(&challenge_hash)
        .bind(user_id)
        .bind(tokens::hash_code(&challenge_hash, &code))
        .bind(CODE_VALID_MINUTES)
        .execute(&mut *tx)
        .await?;
        let text = outbox::sms_code_text(user.get("language"), &code, &state.settings.public_url);
        outbox::enqueue_sms(
            &mut tx,
            mobile.as_str(),
            &text,
            outbox::Content::OneTimeCode,
        )
        .await?;
        audit::record(
            &mut tx,
            Some(user_id),
            audit::Action::SigninCodeSent,
            None,
            serde_json::json!({}),
        )
        .await?;
        Outcome::CodeSent {
            challenge,
            sent_to: mobile.masked(),
        }
    } else {
        let token = session::create(&mut tx, user_id, ip).await?;
        audit::record(
            &mut tx,
            Some(user_id),
            audit::Action::SigninSucceeded,
            None,
            serde_json::json!({}),
        )
        .await?;
        Outcome::SignedIn(SignedIn { token, user_id })
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Step two: the code from the SMS.
pub async fn verify_code(
    state: &AppState,
    challenge: &str,
    code: &str,
    ip: Option<IpAddr>,
) -> ServiceResult<SignedIn> {
    let result = check_code(state, challenge, code, ip).await;
    state
        .metrics
        .signin_result(&result, SigninOutcome::Succeeded);
    result
}

async fn check_code(
    state: &AppState,
    challenge: &str,
    code: &str,
    ip: Option<IpAddr>,
) -> ServiceResult<SignedIn> {
    let challenge_hash = tokens::hash_token(challenge);
    // Whose code it is, to count the attempt under that account (a wrong code counts towards
    // its lock like a wrong password, however many codes were asked for).
    let username: Option<String> = sqlx::query_scalar(
        "SELECT u.username FROM signin_challenges c JOIN users u ON u.id = c.user_id
         WHERE c.token_hash = $1",
    )
    .bind(&challenge_hash)
    .fetch_optional(&state.pool)
    .await?;
    let Some(username) = username else {
        return Err(ApiError::CodeExpired.into());
    };
    let account = code_key(&username);
    let attempt = throttle::attempt(
        &state.pool,
        &[(account.clone(), state.settings.account_throttle())],
    )
    .await?;
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query(
        "SELECT id, user_id, code_hash, attempts FROM signin_challenges
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND attempts < $2
         FOR UPDATE",
    )
    .bind(&challenge_hash)
    .bind(CODE_MAX_ATTEMPTS)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        drop(tx);
        attempt.not_made(&state.pool).await?;
        return Err(ApiError::CodeExpired.into());
    };
    let id: Uuid = row.get("id");
    let user_id: Uuid = row.get("user_id");
    let expected: Vec<u8> = row.get("code_hash");
    if !tokens::same_hash(&expected, &tokens::hash_code(&challenge_hash, code)) {
        let attempts: i32 = row.get::<i32, _>("attempts") + 1;
        sqlx::query("UPDATE signin_challenges SET attempts = $2 WHERE id = $1")
            .bind(id)
            .bind(attempts)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(user_id),
            audit::Action::SigninCodeWrong,
            None,
            serde_json::json!({ "attempts": attempts }),
        )
        .await?;
        // The failed try must count even though the use case fails.
        tx.commit().await?;
        attempt.failed();
        return Err(ApiError::InvalidCode {
            attempts_left: (CODE_MAX_ATTEMPTS - attempts).max(0) as u32,
        }
        .into());
    }
    sqlx::query("UPDATE signin_challenges SET used_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    attempt.passed(&mut tx, &[account]).await?;
    let token = session::create(&mut tx, user_id, ip).await?;
    audit::record(
        &mut tx,
        Some(user_id),
        audit::Action::SigninSucceeded,
        None,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(SignedIn { token, user_id })
}

/// Removes old failure records and spent challenges.
pub async fn purge(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM signin_failures WHERE at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM signin_challenges WHERE expires_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    Ok(())
}
