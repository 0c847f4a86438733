//! Sign-in: password, SMS code, throttling and sessions, against a real Postgres.

mod common;

use app::api::ApiError;
use app::server::demo::{MANAGER, USER};
use app::server::signin::{self, Outcome};
use app::server::{passwords, session, tokens};
use common::{api, ip, last_code, state};
use sqlx::PgPool;

async fn challenge(state: &app::server::AppState) -> String {
    match signin::sign_in(state, MANAGER.0, MANAGER.1.into(), ip())
        .await
        .unwrap()
    {
        Outcome::CodeSent { challenge, sent_to } => {
            assert_eq!(sent_to, "********78");
            challenge
        }
        Outcome::SignedIn(_) => panic!("an EH3 manager must get a code"),
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_eh3_manager_signs_in_with_the_code_from_the_sms(pool: PgPool) {
    let state = state(pool).await;
    let challenge = challenge(&state).await;
    let code = last_code(&state.pool, "+31612345678").await;
    let done = signin::verify_code(&state, &challenge, &code, ip())
        .await
        .unwrap();
    let user = session::authenticate(&state.pool, &state.settings, &done.token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, MANAGER.0);
    assert_eq!(user.managed_orgs.len(), 2);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_eh2_user_signs_in_with_the_password_alone(pool: PgPool) {
    let state = state(pool).await;
    let outcome = signin::sign_in(&state, USER.0, USER.1.into(), ip())
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::SignedIn(_)));
    let sms: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE channel = 'sms'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(sms, 0);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_unknown_username_answers_exactly_like_a_wrong_password(pool: PgPool) {
    let state = state(pool).await;
    let wrong = api(
        signin::sign_in(&state, MANAGER.0, "Verkeerd-123".into(), ip())
            .await
            .err()
            .unwrap(),
    );
    let unknown = api(
        signin::sign_in(&state, "niemand.hier", "Verkeerd-123".into(), ip())
            .await
            .err()
            .unwrap(),
    );
    assert_eq!(wrong, ApiError::InvalidCredentials);
    assert_eq!(unknown, wrong);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn five_failures_lock_the_account_even_for_the_right_password_and_the_lock_ends_by_itself(
    pool: PgPool,
) {
    let state = state(pool).await;
    for _ in 0..5 {
        let e = api(
            signin::sign_in(&state, MANAGER.0, "Verkeerd-123".into(), ip())
                .await
                .err()
                .unwrap(),
        );
        assert_eq!(e, ApiError::InvalidCredentials);
    }
    let locked = api(signin::sign_in(&state, MANAGER.0, MANAGER.1.into(), ip())
        .await
        .err()
        .unwrap());
    assert!(
        matches!(locked, ApiError::TooManyAttempts { retry_after_secs } if retry_after_secs > 800 && retry_after_secs <= 900)
    );
    // No code was sent while locked.
    let sms: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(sms, 0);

    sqlx::query("UPDATE signin_failures SET at = at - interval '16 minutes'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert!(the_manager_gets_a_code(&state).await);
}

/// The manager's right password is accepted (not refused as locked): the SMS code is sent.
async fn the_manager_gets_a_code(state: &app::server::AppState) -> bool {
    matches!(
        signin::sign_in(state, MANAGER.0, MANAGER.1.into(), ip()).await,
        Ok(Outcome::CodeSent { .. })
    )
}

/// Moves every recorded failure `minutes` into the past, as if that time had gone by.
async fn time_passes(pool: &PgPool, minutes: i32) {
    sqlx::query("UPDATE signin_failures SET at = at - make_interval(mins => $1)")
        .bind(minutes)
        .execute(pool)
        .await
        .unwrap();
}

async fn wrong_passwords(state: &app::server::AppState, n: usize) {
    for _ in 0..n {
        let e = api(
            signin::sign_in(state, MANAGER.0, "Verkeerd-123".into(), ip())
                .await
                .err()
                .unwrap(),
        );
        assert_eq!(e, ApiError::InvalidCredentials);
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_lock_lasts_its_fifteen_minutes_from_the_last_failure_even_when_earlier_failures_leave_the_window(
    pool: PgPool,
) {
    let state = state(pool).await;
    // Four failures, then 13 minutes later the fifth: five within 15 minutes lock the account.
    wrong_passwords(&state, 4).await;
    time_passes(&state.pool, 13).await;
    wrong_passwords(&state, 1).await;
    // Three minutes on, the first four are 16 minutes old (out of the window), but the lock
    // has lasted only 3 of its 15 minutes.
    time_passes(&state.pool, 3).await;
    let locked = api(signin::sign_in(&state, MANAGER.0, MANAGER.1.into(), ip())
        .await
        .err()
        .unwrap());
    assert!(
        matches!(locked, ApiError::TooManyAttempts { retry_after_secs } if (600..=720).contains(&retry_after_secs)),
        "{locked:?}"
    );
    // Once 15 minutes have passed since the last failure, the lock has ended by itself.
    time_passes(&state.pool, 12).await;
    assert!(the_manager_gets_a_code(&state).await);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn failures_spread_over_more_than_the_window_never_lock(pool: PgPool) {
    let state = state(pool).await;
    for _ in 0..5 {
        wrong_passwords(&state, 1).await;
        time_passes(&state.pool, 4).await;
    }
    // Five failures, but 16 minutes from the first to the last: no lock.
    assert!(the_manager_gets_a_code(&state).await);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_unknown_username_is_locked_out_like_a_known_one(pool: PgPool) {
    let state = state(pool).await;
    for _ in 0..5 {
        let _ = signin::sign_in(&state, "niemand.hier", "Verkeerd-123".into(), ip()).await;
    }
    let e = api(
        signin::sign_in(&state, "niemand.hier", "Verkeerd-123".into(), ip())
            .await
            .err()
            .unwrap(),
    );
    assert!(matches!(e, ApiError::TooManyAttempts { .. }));
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn many_failures_from_one_address_lock_that_address_for_every_account(pool: PgPool) {
    let state = state(pool).await;
    for i in 0..50 {
        let _ = signin::sign_in(&state, &format!("gok{i}"), "Verkeerd-123".into(), ip()).await;
    }
    let e = api(signin::sign_in(&state, MANAGER.0, MANAGER.1.into(), ip())
        .await
        .err()
        .unwrap());
    assert!(matches!(e, ApiError::TooManyAttempts { .. }));
    let other_address = Some("192.0.2.99".parse().unwrap());
    assert!(
        signin::sign_in(&state, MANAGER.0, MANAGER.1.into(), other_address)
            .await
            .is_ok()
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_code_works_once(pool: PgPool) {
    let state = state(pool).await;
    let challenge = challenge(&state).await;
    let code = last_code(&state.pool, "+31612345678").await;
    signin::verify_code(&state, &challenge, &code, ip())
        .await
        .unwrap();
    let again = api(signin::verify_code(&state, &challenge, &code, ip())
        .await
        .err()
        .unwrap());
    assert_eq!(again, ApiError::CodeExpired);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_code_dies_after_five_wrong_tries(pool: PgPool) {
    let state = state(pool).await;
    let challenge = challenge(&state).await;
    let code = last_code(&state.pool, "+31612345678").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (0..5).rev() {
        let e = api(signin::verify_code(&state, &challenge, wrong, ip())
            .await
            .err()
            .unwrap());
        assert_eq!(
            e,
            ApiError::InvalidCode {
                attempts_left: left
            }
        );
    }
    // Five wrong codes also lock the account's codes for a while (see the attack below) ...
    let e = api(signin::verify_code(&state, &challenge, &code, ip())
        .await
        .err()
        .unwrap());
    assert!(matches!(e, ApiError::TooManyAttempts { .. }), "{e:?}");
    // ... and after that lock, this code is still dead.
    time_passes(&state.pool, 16).await;
    let e = api(signin::verify_code(&state, &challenge, &code, ip())
        .await
        .err()
        .unwrap());
    assert_eq!(e, ApiError::CodeExpired);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_code_expires_after_five_minutes(pool: PgPool) {
    let state = state(pool).await;
    let challenge = challenge(&state).await;
    let code = last_code(&state.pool, "+31612345678").await;
    let minutes: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM expires_at - created_at)::float8 / 60 FROM signin_challenges",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert!((minutes - 5.0).abs() < 0.01);
    sqlx::query("UPDATE signin_challenges SET expires_at = now() - interval '1 second'")
        .execute(&state.pool)
        .await
        .unwrap();
    let e = api(signin::verify_code(&state, &challenge, &code, ip())
        .await
        .err()
        .unwrap());
    assert_eq!(e, ApiError::CodeExpired);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn secrets_are_stored_only_as_hashes(pool: PgPool) {
    let state = state(pool).await;
    let challenge = challenge(&state).await;
    let code = last_code(&state.pool, "+31612345678").await;
    // Each stored value is the hash of the secret the browser or the phone got: storing the
    // plain value (or another one) fails these.
    let stored: (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT token_hash, code_hash FROM signin_challenges")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(stored.0, tokens::hash_token(&challenge));
    assert_eq!(stored.1, tokens::hash_code(&stored.0, &code));
    assert!(!stored.1.windows(6).any(|w| w == code.as_bytes()));
    let done = signin::verify_code(&state, &challenge, &code, ip())
        .await
        .unwrap();
    let token_hash: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(token_hash, tokens::hash_token(&done.token));
    assert_ne!(token_hash, done.token.as_bytes());
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
        .bind(MANAGER.0)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(MANAGER.1));
    assert!(passwords::matches_any(MANAGER.1.into(), vec![hash.clone()])
        .await
        .unwrap());
    assert!(
        !passwords::matches_any("Welkom-Machtig2".into(), vec![hash])
            .await
            .unwrap()
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_session_ends_after_the_idle_timeout_and_on_sign_out(pool: PgPool) {
    let state = state(pool).await;
    let (token, _) = common::sign_in(&state, USER).await;
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '29 minutes'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert!(session::authenticate(&state.pool, &state.settings, &token)
        .await
        .unwrap()
        .is_some());
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert!(session::authenticate(&state.pool, &state.settings, &token)
        .await
        .unwrap()
        .is_none());

    let (token, _) = common::sign_in(&state, USER).await;
    session::end(&state.pool, &token).await.unwrap();
    assert!(session::authenticate(&state.pool, &state.settings, &token)
        .await
        .unwrap()
        .is_none());
}

/// Whether the session of `token` works when it started `age` ago and was used just now.
async fn works_when_started(state: &app::server::AppState, token: &str, age: &str) -> bool {
    sqlx::query("UPDATE sessions SET created_at = now() - $1::interval, last_seen_at = now()")
        .bind(age)
        .execute(&state.pool)
        .await
        .unwrap();
    session::authenticate(&state.pool, &state.settings, token)
        .await
        .unwrap()
        .is_some()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_session_ends_after_twelve_hours_however_active_it_is(pool: PgPool) {
    let state = state(pool).await;
    let (token, _) = common::sign_in(&state, USER).await;
    // Used a moment ago, started just under 12 hours ago: still valid; just over: over.
    assert!(works_when_started(&state, &token, "11 hours 59 minutes").await);
    assert!(!works_when_started(&state, &token, "12 hours 1 minute").await);
    assert_eq!(
        session::purge_expired(&state.pool, &state.settings)
            .await
            .unwrap(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// The attacks on the throttle (docs/security.md).

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_concurrent_wrong_passwords_get_no_more_checks_than_the_threshold(pool: PgPool) {
    let state = state(pool).await;
    let guesses = (0..20).map(|i| {
        let state = state.clone();
        tokio::spawn(async move {
            signin::sign_in(&state, MANAGER.0, format!("Verkeerd-{i}"), ip()).await
        })
    });
    let mut checked = 0;
    let mut refused = 0;
    for guess in guesses {
        match guess.await.unwrap().err().map(api) {
            Some(ApiError::InvalidCredentials) => checked += 1,
            Some(ApiError::TooManyAttempts { .. }) => refused += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!((checked, refused), (5, 15));
    // And the account is locked, for the right password too.
    assert!(!the_manager_gets_a_code(&state).await);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_wrong_codes_over_many_challenges_lock_the_codes(pool: PgPool) {
    let state = state(pool).await;
    // Knowing the password, ask for a new code after every few wrong guesses.
    for _ in 0..2 {
        let guessed = challenge(&state).await;
        for _ in 0..2 {
            let e = signin::verify_code(&state, &guessed, "000000", ip()).await;
            assert!(matches!(
                api(e.err().unwrap()),
                ApiError::InvalidCode { .. }
            ));
        }
    }
    let fresh = challenge(&state).await;
    let e = signin::verify_code(&state, &fresh, "000000", ip()).await;
    assert!(matches!(
        api(e.err().unwrap()),
        ApiError::InvalidCode { .. }
    ));
    // Five wrong codes in all: even the right code of a fresh challenge is refused now.
    let code = last_code(&state.pool, "+31612345678").await;
    let e = signin::verify_code(&state, &fresh, &code, ip()).await;
    assert!(matches!(
        api(e.err().unwrap()),
        ApiError::TooManyAttempts { .. }
    ));
    time_passes(&state.pool, 16).await;
    let later = challenge(&state).await;
    let code = last_code(&state.pool, "+31612345678").await;
    assert!(signin::verify_code(&state, &later, &code, ip())
        .await
        .is_ok());
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_sms_bombing_with_a_known_password_stops_after_five_codes(pool: PgPool) {
    let state = state(pool).await;
    for _ in 0..5 {
        assert!(the_manager_gets_a_code(&state).await);
    }
    let e = signin::sign_in(&state, MANAGER.0, MANAGER.1.into(), ip()).await;
    assert!(matches!(
        api(e.err().unwrap()),
        ApiError::TooManyAttempts { .. }
    ));
    let sms: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE channel = 'sms'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(sms, 5);
    // The refused send did not count as a wrong password.
    let failures: i64 =
        sqlx::query_scalar("SELECT count(*) FROM signin_failures WHERE key LIKE 'account:%'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(failures, 0);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_a_five_thousand_character_username_is_a_wrong_password(pool: PgPool) {
    let state = state(pool).await;
    let long = "a".repeat(5_000);
    let e = signin::sign_in(&state, &long, "Verkeerd-123".into(), ip()).await;
    assert_eq!(api(e.err().unwrap()), ApiError::InvalidCredentials);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_a_manager_or_operator_with_a_low_level_means_still_confirms_with_the_sms_code(
    pool: PgPool,
) {
    let state = state(pool).await;
    // The manager's own means lowered to EH2 (the password alone for an ordinary user).
    sqlx::query("UPDATE users SET level = 'EH2' WHERE username = $1")
        .bind(MANAGER.0)
        .execute(&state.pool)
        .await
        .unwrap();
    assert!(the_manager_gets_a_code(&state).await);
    // An EH2 user made operator.
    sqlx::query("UPDATE users SET is_operator = true WHERE username = $1")
        .bind(USER.0)
        .execute(&state.pool)
        .await
        .unwrap();
    let outcome = signin::sign_in(&state, USER.0, USER.1.into(), ip())
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::CodeSent { .. }));
}
