//! Beheer > Gebruikers and Mijn account, against a real Postgres.

mod common;

use app::api::users::PAGE_SIZE;
use app::api::ApiError;
use app::domain::codes::{Field, Rule};
use app::server::demo::{MANAGER, USER};
use app::server::{account, signin, users};
use common::{api, ip, sign_in, state};
use sqlx::PgPool;
use std::collections::HashSet;

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_manager_pages_through_exactly_the_users_of_the_managed_organizations(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let expected: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT m.user_id) FROM memberships m JOIN organizations o ON o.id = m.org_id
         WHERE o.kvk_number IN ('34123456', '56789012')",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert!(
        expected as usize > 2 * PAGE_SIZE - 10,
        "the demo data must span pages"
    );

    let mut seen = HashSet::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = users::list(&state.pool, &manager, "", after.as_ref())
            .await
            .unwrap();
        pages += 1;
        for row in &page.rows {
            assert!(seen.insert(row.id.clone()), "a user appeared twice");
            assert!(
                !row.organizations.contains("Zorggroep Noord"),
                "another organization leaked"
            );
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, expected);
    assert_eq!(pages, (expected as usize).div_ceil(PAGE_SIZE));
}

/// A search pages too: in name order, each matching user once (here the e-mail domains' "nl").
#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_search_pages_through_exactly_its_matches_in_name_order(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let expected: Vec<String> = sqlx::query_scalar(
        "SELECT u.id::text FROM users u
          WHERE EXISTS (SELECT 1 FROM memberships m JOIN organizations o ON o.id = m.org_id
                         WHERE m.user_id = u.id AND o.kvk_number IN ('34123456', '56789012'))
            AND user_matches(u, search_words('NL'))
          ORDER BY u.sort_key, u.id",
    )
    .fetch_all(&state.pool)
    .await
    .unwrap();
    assert!(expected.len() > PAGE_SIZE, "the search must span pages");
    let mut shown = Vec::new();
    let mut after = None;
    loop {
        let page = users::list(&state.pool, &manager, "NL", after.as_ref())
            .await
            .unwrap();
        shown.extend(page.rows.iter().map(|r| r.id.clone()));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(shown, expected);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn search_matches_name_email_and_username_and_takes_wildcards_literally(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let page = users::list(&state.pool, &manager, "PIETER VAN", None)
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].username.as_deref(), Some(USER.0));
    let by_mail = users::list(&state.pool, &manager, "eva.jansen@", None)
        .await
        .unwrap();
    assert_eq!(by_mail.rows.len(), 1);
    assert!(users::list(&state.pool, &manager, "%", None)
        .await
        .unwrap()
        .rows
        .is_empty());
    // Users of an organization the manager does not manage are not found either.
    assert!(users::list(&state.pool, &manager, "noord.", None)
        .await
        .unwrap()
        .rows
        .is_empty());
    let long = "x".repeat(101);
    assert_eq!(
        api(users::list(&state.pool, &manager, &long, None)
            .await
            .err()
            .unwrap()),
        ApiError::validation(Field::Search, Rule::TooLong)
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_user_who_manages_nothing_may_not_list_users(pool: PgPool) {
    let state = state(pool).await;
    let (_, user) = sign_in(&state, USER).await;
    assert_eq!(
        api(users::list(&state.pool, &user, "", None)
            .await
            .err()
            .unwrap()),
        ApiError::Forbidden
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn changing_the_password_enforces_the_policy_and_the_last_five(pool: PgPool) {
    let state = state(pool).await;
    let (_, me) = sign_in(&state, USER).await;
    let change = |current: &str, new: &str| {
        account::change_password(&state, &me, current.to_string(), new.to_string(), ip())
    };

    assert_eq!(
        api(change("Fout-000000", "Nieuw-Wachtwoord1")
            .await
            .err()
            .unwrap()),
        ApiError::validation(Field::CurrentPassword, Rule::Wrong)
    );
    assert_eq!(
        api(change(USER.1, "kort").await.err().unwrap()),
        ApiError::validation(Field::NewPassword, Rule::MinLength)
    );
    assert_eq!(
        api(change(USER.1, "Xdemo.gebruikerX-1").await.err().unwrap()),
        ApiError::validation(Field::NewPassword, Rule::NotUsername)
    );
    assert_eq!(
        api(change(USER.1, USER.1).await.err().unwrap()),
        ApiError::validation(Field::NewPassword, Rule::RecentlyUsed)
    );
    // Refused changes wrote nothing.
    let mails: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(mails, 0);

    let mut current = USER.1.to_string();
    for i in 1..=5 {
        let next = format!("Nieuw-Wachtwoord{i}");
        change(&current, &next).await.unwrap();
        current = next;
    }
    // The first new one is still among the last five, the original is not any more.
    assert_eq!(
        api(change(&current, "Nieuw-Wachtwoord1").await.err().unwrap()),
        ApiError::validation(Field::NewPassword, Rule::RecentlyUsed)
    );
    change(&current, USER.1).await.unwrap();

    let mails: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE channel = 'email' AND subject LIKE 'Uw wachtwoord voor % is gewijzigd'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(mails, 6);
    let history: i64 =
        sqlx::query_scalar("SELECT count(*) FROM password_history WHERE user_id = $1")
            .bind(me.user_id)
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(history, 5);
    assert!(signin::sign_in(&state, USER.0, USER.1.into(), ip())
        .await
        .is_ok());
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_a_token_stolen_before_a_password_change_is_worthless_after_it(pool: PgPool) {
    let state = state(pool).await;
    let (other, _) = sign_in(&state, USER).await;
    let (this, me) = sign_in(&state, USER).await;
    let new = account::change_password(&state, &me, USER.1.into(), "Heel-Nieuw-2026".into(), ip())
        .await
        .unwrap();
    let auth = |t: String| {
        let state = state.clone();
        async move {
            app::server::session::authenticate(&state.pool, &state.settings, &t)
                .await
                .unwrap()
        }
    };
    // Every session ends, this browser's too: it carries on with the new token.
    assert!(auth(this.clone()).await.is_none());
    assert!(auth(other).await.is_none());
    assert_ne!(new, this);
    assert_eq!(auth(new).await.unwrap().user_id, me.user_id);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_guessing_the_current_password_with_a_stolen_session_stops_at_the_lock(
    pool: PgPool,
) {
    let state = state(pool).await;
    let (_, me) = sign_in(&state, USER).await;
    let change = |current: String| {
        account::change_password(&state, &me, current, "Nieuw-Wachtwoord1".to_string(), ip())
    };
    // Guessed all at once, so no check can pass before the others are counted.
    let guesses: Vec<_> = (0..10)
        .map(|i| {
            let (state, me) = (state.clone(), me.clone());
            tokio::spawn(async move {
                account::change_password(
                    &state,
                    &me,
                    format!("Gok-{i}-Wachtwoord"),
                    "Nieuw-Wachtwoord1".to_string(),
                    ip(),
                )
                .await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for guess in guesses {
        answers.push(api(guess.await.unwrap().err().unwrap()));
    }
    let wrong = answers
        .iter()
        .filter(|e| **e == ApiError::validation(Field::CurrentPassword, Rule::Wrong))
        .count();
    let refused = answers
        .iter()
        .filter(|e| matches!(e, ApiError::TooManyAttempts { .. }))
        .count();
    assert_eq!((wrong, refused), (5, 5));
    // Locked: the right current password is refused too, and nothing changed.
    let e = change(USER.1.to_string()).await.err().unwrap();
    assert!(matches!(api(e), ApiError::TooManyAttempts { .. }));
    sqlx::query("UPDATE signin_failures SET at = at - interval '16 minutes'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert!(signin::sign_in(&state, USER.0, USER.1.into(), ip())
        .await
        .is_ok());
}
