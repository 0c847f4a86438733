//! Applying for users and walking their invitation links, for the tests of acceptance,
//! issuing and faults.
#![allow(dead_code)]

use super::{last_code, sign_in};
use app::api::wizard::{Draft, WizardStep};
use app::domain::acceptance::Step;
use app::domain::level::AssuranceLevel;
use app::domain::new_user::{Language, NewUser};
use app::server::demo::MANAGER;
use app::server::identity_verification::sign;
use app::server::session::SessionUser;
use app::server::{acceptance, wizard, AppState};
use sqlx::PgPool;

pub const TAX_OFFICE: &str = "547b2d6d-b101-438d-9b26-292199e30a0b"; // EH3
pub const GOOD_PASSWORD: &str = "Nieuw-Wachtwoord7";

pub fn person(first: &str, email: &str, mobile: &str, employed: bool) -> NewUser {
    NewUser {
        first_name: first.into(),
        infix: String::new(),
        last_name: "Tester".into(),
        email: email.into(),
        mobile: mobile.into(),
        date_of_birth: "14-03-1988".into(),
        employed,
        language: Language::Nl,
    }
}

/// The demo manager's draft for Bakkerij De Vries at EH3, filled in up to the summary.
pub async fn draft_for(
    state: &AppState,
    manager: &SessionUser,
    users: Vec<NewUser>,
    tax_office: bool,
    years: u8,
) -> Draft {
    let start = wizard::start(state, manager).await.unwrap();
    let org: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM organizations WHERE kvk_number = '34123456'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    Draft {
        org_id: Some(org.to_string()),
        level: Some(AssuranceLevel::Eh3),
        kvk: "34123456".into(),
        users,
        with_authorizations: tax_office,
        all_services: false,
        services: if tax_office {
            vec![TAX_OFFICE.into()]
        } else {
            vec![]
        },
        validity_years: years,
        step: WizardStep::Summary,
        ..start.draft
    }
}

/// Submits an application for Bakkerij De Vries at EH3 as the demo manager; returns its id.
pub async fn submit(state: &AppState, users: Vec<NewUser>, tax_office: bool, years: u8) -> String {
    let (_, manager) = sign_in(state, MANAGER).await;
    let draft = draft_for(state, &manager, users, tax_office, years).await;
    wizard::submit(state, &manager, &draft, 1, true)
        .await
        .unwrap()
}

/// Anna (employed) and Bram (not employed), the tax office, 3 years.
pub async fn apply(state: &AppState) -> String {
    let users = vec![
        person("Anna", "anna@example.nl", "06-11111111", true),
        person("Bram", "bram@example.nl", "06-22222222", false),
    ];
    submit(state, users, true, 3).await
}

/// The token in the newest invitation e-mail to `email`.
pub async fn token(pool: &PgPool, email: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE channel = 'email' AND recipient = $1
            AND body LIKE '%/uitnodiging/%' ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap();
    let from = body.find("/uitnodiging/").unwrap() + "/uitnodiging/".len();
    body[from..].split_whitespace().next().unwrap().to_string()
}

/// Walks a link through details, mobile, code and credentials, up to the summary.
pub async fn up_to_summary(state: &AppState, t: &str, mobile: &str, username: &str) {
    assert_eq!(
        acceptance::open(state, t).await.unwrap().step,
        Step::Details
    );
    assert_eq!(
        acceptance::confirm(state, t).await.unwrap().step,
        Step::Mobile
    );
    let at = acceptance::send_code(state, t).await.unwrap();
    assert_eq!(at.step, Step::Code);
    let code = last_code(&state.pool, mobile).await;
    assert_eq!(
        acceptance::verify_code(state, t, &code).await.unwrap().step,
        Step::Credentials
    );
    let at = acceptance::choose_credentials(state, t, username, GOOD_PASSWORD.into())
        .await
        .unwrap();
    assert_eq!(at.step, Step::Summary);
    assert_eq!(at.username.as_deref(), Some(username));
}

pub async fn status(pool: &PgPool, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT au.status FROM application_users au JOIN users u ON u.id = au.user_id
          WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap()
}

pub fn event(reference: &str, id: &str, result: &str) -> Vec<u8> {
    serde_json::to_vec(
        &serde_json::json!({ "event_id": id, "reference": reference, "result": result }),
    )
    .unwrap()
}

pub fn signed(state: &AppState, body: &[u8]) -> String {
    sign(
        state.settings.idv_webhook_secret.expose().as_bytes(),
        chrono::Utc::now().timestamp(),
        body,
    )
}
