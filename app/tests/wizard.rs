//! The add-users wizard and Lopende aanvragen, against a real Postgres: the draft, the KvK
//! check, the CSV preview, submitting (one transaction, idempotent, every rule checked again),
//! and the manager's actions on pending users.

mod common;

use app::api::applications::ApplicationFilter;
use app::api::wizard::{Draft, WizardStep};
use app::api::ApiError;
use app::domain::acceptance::Status;
use app::domain::codes::{Field, Rule};
use app::domain::level::AssuranceLevel;
use app::domain::new_user::{Language, NewUser};
use app::server::demo::{MANAGER, USER};
use app::server::session::SessionUser;
use app::server::{applications, wizard, AppState};
use base64::Engine;
use common::{api, sign_in, state};
use sqlx::PgPool;

const TAX_OFFICE: &str = "547b2d6d-b101-438d-9b26-292199e30a0b"; // EH3
const CUSTOMS: &str = "57428507-ec90-45c5-ac12-db4b29ba700a"; // EH3
const UWV_DATA: &str = "693e4a37-45b2-421e-8653-ff5cc9ca10d4"; // EH4

/// A change that makes a good draft bad.
type DraftChange = Box<dyn Fn(&mut Draft)>;

fn invalid(field: Field, rule: Rule) -> ApiError {
    ApiError::validation(field, rule)
}

async fn org_id(pool: &PgPool, kvk: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM organizations WHERE kvk_number = $1")
        .bind(kvk)
        .fetch_one(pool)
        .await
        .unwrap();
    id.to_string()
}

fn person(first: &str, last: &str, email: &str, mobile: &str, employed: bool) -> NewUser {
    NewUser {
        first_name: first.into(),
        infix: String::new(),
        last_name: last.into(),
        email: email.into(),
        mobile: mobile.into(),
        date_of_birth: "14-03-1988".into(),
        employed,
        language: Language::Nl,
    }
}

/// A complete draft for Bakkerij De Vries: EH3, three users, two services, three years.
async fn full_draft(state: &AppState, manager: &SessionUser) -> Draft {
    let start = wizard::start(state, manager).await.unwrap();
    let mut draft = start.draft;
    draft.org_id = Some(org_id(&state.pool, "34123456").await);
    draft.level = Some(AssuranceLevel::Eh3);
    draft.kvk = "34123456".into();
    draft.users = vec![
        person("Anna", "Smit", "anna.smit@example.nl", "06-11111111", true),
        person("Bram", "Bos", "bram.bos@example.nl", "06 22222222", false),
        NewUser {
            language: Language::En,
            ..person("Chris", "Kok", "chris.kok@example.nl", "+31633333333", true)
        },
    ];
    draft.with_authorizations = true;
    draft.all_services = false;
    draft.services = vec![TAX_OFFICE.into(), CUSTOMS.into()];
    draft.validity_years = 3;
    draft.step = WizardStep::Summary;
    draft
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_draft_survives_a_reload(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let draft = full_draft(&state, &manager).await;
    wizard::save(&state.pool, &manager, &draft).await.unwrap();
    let again = wizard::start(&state, &manager).await.unwrap();
    assert_eq!(again.draft, draft);
    assert_eq!(again.organizations.len(), 2);
    assert_eq!(again.max_level, AssuranceLevel::Eh3);
    assert_eq!(again.terms.version, 1);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_kvk_check_knows_the_organization_and_its_branches(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let org = org_id(&state.pool, "34123456").await;
    let details = wizard::check_kvk(&state, &manager, &org, "34123456")
        .await
        .unwrap();
    assert_eq!(details.name, "Bakkerij De Vries B.V.");
    assert_eq!(details.branches.len(), 2);
    assert_eq!(
        api(wizard::check_kvk(&state, &manager, &org, "56789012")
            .await
            .unwrap_err()),
        invalid(Field::Kvk, Rule::Mismatch)
    );
    assert_eq!(
        api(wizard::check_kvk(&state, &manager, &org, "1234")
            .await
            .unwrap_err()),
        invalid(Field::Kvk, Rule::Invalid)
    );
    let other = org_id(&state.pool, "70123456").await;
    assert_eq!(
        api(wizard::check_kvk(&state, &manager, &other, "70123456")
            .await
            .unwrap_err()),
        ApiError::NotFound
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn submitting_creates_users_invitations_and_emails_in_one_go(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let draft = full_draft(&state, &manager).await;
    let users_before = count(&state.pool, "SELECT count(*) FROM users").await;
    let id = wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();

    let (level, years, subtotal, vat, total): (String, i32, i64, i64, i64) = sqlx::query_as(
        "SELECT level, validity_years, subtotal_cents, vat_cents, total_cents FROM applications WHERE id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&state.pool)
    .await
    .unwrap();
    // 3 users x 2 services x EUR 25 (EH3, 3 years) = EUR 150, VAT 21% = EUR 31.50.
    assert_eq!((level.as_str(), years), ("EH3", 3));
    assert_eq!((subtotal, vat, total), (15_000, 3_150, 18_150));
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM users").await,
        users_before + 3
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM users WHERE username IS NULL AND email IN
            ('anna.smit@example.nl', 'bram.bos@example.nl', 'chris.kok@example.nl')"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM authorizations WHERE state = 'pending' AND kind = 'service'"
        )
        .await,
        6
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM application_users WHERE status = 'invited'"
        )
        .await,
        3
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM invitations WHERE used_at IS NULL AND expires_at > now() + interval '29 days'").await,
        3
    );
    let mobile: String =
        sqlx::query_scalar("SELECT mobile FROM users WHERE email = 'bram.bos@example.nl'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(mobile, "+31622222222", "stored normalized");
    let (subject, body): (String, String) =
        sqlx::query_as("SELECT subject, body FROM outbox WHERE recipient = 'chris.kok@example.nl'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(
        subject,
        "Bakkerij De Vries B.V. requests eHerkenning for you"
    );
    assert!(
        body.contains("http://127.0.0.1:3000/uitnodiging/"),
        "{body}"
    );
    // The token in the link is stored only as its hash.
    let token = body
        .split("/uitnodiging/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let stored = count(
        &state.pool,
        &format!("SELECT count(*) FROM invitations WHERE token_hash = sha256('{token}'::bytea)"),
    )
    .await;
    assert_eq!(stored, 1);
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM wizard_drafts").await,
        0
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'application.submitted'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_double_click_creates_one_application(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let draft = full_draft(&state, &manager).await;
    let (a, b) = tokio::join!(
        wizard::submit(&state, &manager, &draft, 1, true),
        wizard::submit(&state, &manager, &draft, 1, true)
    );
    assert_eq!(a.unwrap(), b.unwrap());
    let c = wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM applications").await,
        1
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM invitations").await,
        3
    );
    assert_eq!(c.len(), 36);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn crafted_drafts_are_refused_and_change_nothing(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let good = full_draft(&state, &manager).await;
    let outbox_before = count(&state.pool, "SELECT count(*) FROM outbox").await;
    let users_before = count(&state.pool, "SELECT count(*) FROM users").await;
    let zorggroep = org_id(&state.pool, "70123456").await;

    let cases: Vec<(DraftChange, ApiError)> = vec![
        (
            Box::new(|d| d.level = Some(AssuranceLevel::Eh4)),
            invalid(Field::Level, Rule::AboveOwnLevel),
        ),
        (
            Box::new(move |d| {
                d.org_id = Some(zorggroep.clone());
                d.kvk = "70123456".into();
            }),
            ApiError::NotFound,
        ),
        (
            Box::new(|d| d.kvk = "56789012".into()),
            invalid(Field::Kvk, Rule::Mismatch),
        ),
        (
            Box::new(|d| d.validity_years = 6),
            invalid(Field::Validity, Rule::Invalid),
        ),
        (
            Box::new(|d| d.services = vec![UWV_DATA.into()]),
            invalid(Field::Services, Rule::AboveLevel),
        ),
        (
            Box::new(|d| {
                d.level = Some(AssuranceLevel::Eh2Plus);
            }),
            invalid(Field::Services, Rule::AboveLevel),
        ),
        (
            Box::new(|d| d.services = vec![uuid::Uuid::new_v4().to_string()]),
            invalid(Field::Services, Rule::Unknown),
        ),
        (
            Box::new(|d| d.services.clear()),
            invalid(Field::Services, Rule::Required),
        ),
        (
            Box::new(|d| d.users[1].email = "geen-email".into()),
            ApiError::in_row(1, Field::Email, Rule::InvalidEmail),
        ),
        (
            Box::new(|d| d.users[2].mobile = "12".into()),
            ApiError::in_row(2, Field::Mobile, Rule::InvalidMobile),
        ),
        (
            Box::new(|d| d.users[0].date_of_birth = "31-02-1990".into()),
            ApiError::in_row(0, Field::DateOfBirth, Rule::InvalidDate),
        ),
        (
            Box::new(|d| d.users[2].email = "ANNA.smit@example.nl".into()),
            ApiError::in_row(2, Field::Email, Rule::DuplicateInFile),
        ),
        (
            Box::new(|d| d.users[0].email = "pieter.vandam@bakkerij-devries.nl".into()),
            ApiError::in_row(0, Field::Email, Rule::AlreadyMember),
        ),
        (
            Box::new(|d| d.users.clear()),
            invalid(Field::Users, Rule::Required),
        ),
        (
            Box::new(|d| {
                d.restrict_to_branch = true;
                d.branch_id = Some(uuid::Uuid::new_v4().to_string());
            }),
            invalid(Field::Branch, Rule::Unknown),
        ),
    ];
    for (change, expected) in cases {
        let mut draft = good.clone();
        change(&mut draft);
        let got = api(wizard::submit(&state, &manager, &draft, 1, true)
            .await
            .unwrap_err());
        assert_eq!(got, expected);
    }
    assert_eq!(
        api(wizard::submit(&state, &manager, &good, 1, false)
            .await
            .unwrap_err()),
        invalid(Field::Terms, Rule::NotAgreed)
    );
    assert_eq!(
        api(wizard::submit(&state, &manager, &good, 0, true)
            .await
            .unwrap_err()),
        invalid(Field::Terms, Rule::Outdated)
    );
    let (_, user) = sign_in(&state, USER).await;
    assert_eq!(
        api(wizard::submit(&state, &user, &good, 1, true)
            .await
            .unwrap_err()),
        ApiError::Forbidden
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM applications").await,
        0
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM users").await,
        users_before
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox").await,
        outbox_before
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn all_services_is_one_authorization_per_user(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let mut draft = full_draft(&state, &manager).await;
    draft.all_services = true;
    draft.validity_years = 1;
    wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM authorizations WHERE state = 'pending' AND kind = 'all_services'"
        )
        .await,
        3
    );
    // 3 x EUR 15 = EUR 45 + 21% = EUR 54.45
    assert_eq!(
        count(&state.pool, "SELECT total_cents FROM applications").await,
        5_445
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_csv_preview_shows_every_rows_problems(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let org = org_id(&state.pool, "34123456").await;
    let file =
        "\u{feff}voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst\r\n\
                Sanne;de;Vries;sanne.devries@bakkerij-devries.nl;06-12345678;14-03-1988;ja\r\n\
                Piet;;Dam;pieter.vandam@bakkerij-devries.nl;06-87654321;01-01-1980;nee\r\n\
                ;;Leeg;leeg@example.nl;0611122233;01-01-1980;ja\r\n\
                Dubbel;;Een;sanne.devries@bakkerij-devries.nl;0644455566;32-01-1980;ja\r\n";
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    let rows = wizard::import_csv(&state.pool, &manager, &org, &b64)
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].problems.is_empty(), "{:?}", rows[0].problems);
    assert_eq!(rows[0].line, 2);
    let codes = |i: usize| -> Vec<(Field, Rule)> {
        rows[i].problems.iter().map(|p| (p.field, p.code)).collect()
    };
    assert!(codes(1).contains(&(Field::Email, Rule::AlreadyMember)));
    assert!(codes(2).contains(&(Field::FirstName, Rule::Required)));
    assert!(codes(3).contains(&(Field::Email, Rule::DuplicateInFile)));
    assert!(codes(3).contains(&(Field::DateOfBirth, Rule::InvalidDate)));

    let huge = base64::engine::general_purpose::STANDARD.encode(vec![b'a'; 2 * 1024 * 1024]);
    assert_eq!(
        api(wizard::import_csv(&state.pool, &manager, &org, &huge)
            .await
            .unwrap_err()),
        invalid(Field::Csv, Rule::TooLarge)
    );
    assert_eq!(
        api(
            wizard::import_csv(&state.pool, &manager, &org, "not base64!")
                .await
                .unwrap_err()
        ),
        invalid(Field::Csv, Rule::NotCsv)
    );
    let other = org_id(&state.pool, "70123456").await;
    assert_eq!(
        api(wizard::import_csv(&state.pool, &manager, &other, &b64)
            .await
            .unwrap_err()),
        ApiError::NotFound
    );
}

async fn applicant_ids(pool: &PgPool, application: &str) -> Vec<String> {
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT au.id FROM application_users au JOIN users u ON u.id = au.user_id
         WHERE au.application_id = $1::uuid ORDER BY u.last_name",
    )
    .bind(application)
    .fetch_all(pool)
    .await
    .unwrap();
    ids.into_iter().map(|i| i.to_string()).collect()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn managers_follow_resend_correct_and_cancel(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let draft = full_draft(&state, &manager).await;
    let id = wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();

    let list = applications::list(&state.pool, &manager, &ApplicationFilter::default(), None)
        .await
        .unwrap()
        .rows;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].statuses, vec![(Status::Invited, 3)]);
    let detail = applications::detail(&state.pool, &manager, &id)
        .await
        .unwrap();
    assert_eq!(detail.applicants.len(), 3);
    assert_eq!(detail.services.len(), 2);
    // Bos, Kok, Smit
    let ids = applicant_ids(&state.pool, &id).await;

    // Resend: the old link stops working, a new one goes out.
    let outbox = count(&state.pool, "SELECT count(*) FROM outbox").await;
    applications::resend(&state, &manager, &ids[0])
        .await
        .unwrap();
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox").await,
        outbox + 1
    );
    assert_eq!(
        count(&state.pool, &format!("SELECT count(*) FROM invitations WHERE application_user_id = '{}' AND revoked_at IS NULL", ids[0])).await,
        1
    );
    assert_eq!(
        count(
            &state.pool,
            &format!(
                "SELECT count(*) FROM invitations WHERE application_user_id = '{}'",
                ids[0]
            )
        )
        .await,
        2
    );

    // Correct: bad input is refused at its field and changes nothing.
    assert_eq!(
        api(
            applications::correct(&state, &manager, &ids[1], "chris@example.nl", "12")
                .await
                .unwrap_err()
        ),
        invalid(Field::Mobile, Rule::InvalidMobile)
    );
    applications::correct(
        &state,
        &manager,
        &ids[1],
        "Chris.Kok@Elders.nl",
        "06 99999999",
    )
    .await
    .unwrap();
    let (email, mobile): (String, String) = sqlx::query_as(
        "SELECT u.email, u.mobile FROM users u JOIN application_users au ON au.user_id = u.id WHERE au.id = $1::uuid",
    )
    .bind(&ids[1])
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(
        (email.as_str(), mobile.as_str()),
        ("chris.kok@elders.nl", "+31699999999")
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox WHERE recipient = 'chris.kok@elders.nl'"
        )
        .await,
        1
    );

    // Cancel one user: their pending authorizations are revoked.
    applications::cancel_applicant(&state.pool, &manager, &ids[2])
        .await
        .unwrap();
    assert_eq!(
        api(applications::resend(&state, &manager, &ids[2])
            .await
            .unwrap_err()),
        invalid(Field::Applicant, Rule::NotInvited)
    );
    let filtered = applications::list(
        &state.pool,
        &manager,
        &ApplicationFilter {
            status: Some(Status::Cancelled),
            org_id: None,
        },
        None,
    )
    .await
    .unwrap()
    .rows;
    assert_eq!(filtered.len(), 1);
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM authorizations WHERE state = 'revoked' AND kind = 'service'"
        )
        .await,
        2
    );

    // Cancel the rest.
    applications::cancel_application(&state.pool, &manager, &id)
        .await
        .unwrap();
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM application_users WHERE status = 'cancelled'"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM invitations WHERE revoked_at IS NULL AND used_at IS NULL"
        )
        .await,
        0
    );
    assert_eq!(
        api(applications::cancel_application(&state.pool, &manager, &id)
            .await
            .unwrap_err()),
        invalid(Field::Application, Rule::NotOpen)
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn ook_beheerder_worden_gives_a_pending_free_managers_right_only_with_authorizations(
    pool: PgPool,
) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let mut draft = full_draft(&state, &manager).await;
    // As typed elsewhere (case, spaces), and one for a user no longer in the draft.
    draft.set_manager(" Anna.Smit@Example.nl", true);
    draft.set_manager("weg@example.nl", true);
    let start = wizard::start(&state, &manager).await.unwrap();
    let quote_without = app::domain::tariff::quote(
        &start.prices,
        AssuranceLevel::Eh3,
        app::domain::tariff::Validity::ThreeYears,
        3,
        draft.authorizations_per_user(),
    )
    .unwrap()
    .total_cents;
    let id = wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();
    let rights: Vec<(String, String, String, i32)> = sqlx::query_as(
        "SELECT u.email, z.level, z.state,
                extract(year FROM age(z.valid_until, z.valid_from))::int
           FROM authorizations z JOIN users u ON u.id = z.user_id
           JOIN application_users au ON au.user_id = u.id
          WHERE au.application_id = $1::uuid AND z.kind = 'admin'",
    )
    .bind(&id)
    .fetch_all(&state.pool)
    .await
    .unwrap();
    assert_eq!(
        rights,
        vec![(
            "anna.smit@example.nl".into(),
            "EH3".into(),
            "pending".into(),
            3
        )]
    );
    // Free: the application's price is that of the authorizations alone.
    let total: i64 = sqlx::query_scalar("SELECT total_cents FROM applications WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(total, quote_without);

    // Without authorizations there is no login authorization for the right to run with: none.
    let mut draft = full_draft(&state, &manager).await;
    for u in &mut draft.users {
        u.email = u.email.replace("@example.nl", "@zonder.example.nl");
        u.mobile = u
            .mobile
            .replace('1', "4")
            .replace('2', "5")
            .replace('3', "6");
    }
    draft.with_authorizations = false;
    draft.set_manager("anna.smit@zonder.example.nl", true);
    let id = wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();
    let rights: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM authorizations z JOIN application_users au ON au.user_id = z.user_id
          WHERE au.application_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(rights, 0);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn lopende_aanvragen_pages_by_keyset_through_every_application(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let draft = full_draft(&state, &manager).await;
    wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();
    // 60 more, 30 of them submitted at one and the same moment: the id breaks the tie.
    sqlx::query(
        "INSERT INTO applications
         SELECT (jsonb_populate_record(a, jsonb_build_object(
                   'id', gen_random_uuid(),
                   'idempotency_key', gen_random_uuid(),
                   'submitted_at', a.submitted_at - make_interval(mins => g % 2)))).*
           FROM applications a, generate_series(1, 60) g",
    )
    .execute(&state.pool)
    .await
    .unwrap();

    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = applications::list(
            &state.pool,
            &manager,
            &ApplicationFilter::default(),
            after.as_ref(),
        )
        .await
        .unwrap();
        pages += 1;
        assert!(page.rows.len() <= app::api::applications::PAGE_SIZE);
        seen.extend(page.rows.into_iter().map(|r| (r.submitted_at, r.id)));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 61, "every application exactly once");
    let mut unique = seen.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 61);
    assert!(seen.windows(2).all(|w| w[0].0 >= w[1].0), "newest first");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn another_organizations_application_answers_like_a_missing_one(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let draft = full_draft(&state, &manager).await;
    let id = wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();
    let ids = applicant_ids(&state.pool, &id).await;
    let zorggroep: uuid::Uuid = org_id(&state.pool, "70123456").await.parse().unwrap();
    let stranger = SessionUser {
        managed_orgs: vec![zorggroep],
        ..manager.clone()
    };

    assert!(
        applications::list(&state.pool, &stranger, &ApplicationFilter::default(), None)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    let missing = uuid::Uuid::new_v4().to_string();
    for target in [&id, &missing] {
        assert_eq!(
            api(applications::detail(&state.pool, &stranger, target)
                .await
                .unwrap_err()),
            ApiError::NotFound
        );
        assert_eq!(
            api(
                applications::cancel_application(&state.pool, &stranger, target)
                    .await
                    .unwrap_err()
            ),
            ApiError::NotFound
        );
    }
    assert_eq!(
        api(applications::resend(&state, &stranger, &ids[0])
            .await
            .unwrap_err()),
        ApiError::NotFound
    );
    assert_eq!(
        api(
            applications::correct(&state, &stranger, &ids[0], "a@b.nl", "0612345678")
                .await
                .unwrap_err()
        ),
        ApiError::NotFound
    );
    assert_eq!(
        api(
            applications::cancel_applicant(&state.pool, &stranger, &ids[0])
                .await
                .unwrap_err()
        ),
        ApiError::NotFound
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM application_users WHERE status = 'invited'"
        )
        .await,
        3
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn branch_bound_users_get_authorizations_for_that_branch_only(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let org = org_id(&state.pool, "34123456").await;
    let details = wizard::check_kvk(&state, &manager, &org, "34123456")
        .await
        .unwrap();
    let branch = details.branches[1].clone();
    let mut draft = full_draft(&state, &manager).await;
    draft.restrict_to_branch = true;

    // Bound to a branch, but which one? And never another organization's branch.
    draft.branch_id = None;
    assert_eq!(
        api(wizard::submit(&state, &manager, &draft, 1, true)
            .await
            .unwrap_err()),
        invalid(Field::Branch, Rule::Required)
    );
    let zorggroep = org_id(&state.pool, "70123456").await;
    sqlx::query(
        "INSERT INTO branches (org_id, branch_number, name, street, postal_code, city)
         VALUES ($1::uuid, '000099999999', 'Elders', 'Weg 1', '9999 ZZ', 'Groningen')",
    )
    .bind(&zorggroep)
    .execute(&state.pool)
    .await
    .unwrap();
    let foreign: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM branches WHERE branch_number = '000099999999'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    draft.branch_id = Some(foreign.to_string());
    assert_eq!(
        api(wizard::submit(&state, &manager, &draft, 1, true)
            .await
            .unwrap_err()),
        invalid(Field::Branch, Rule::Unknown)
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM applications").await,
        0
    );

    draft.branch_id = Some(branch.id.clone());
    let id = wizard::submit(&state, &manager, &draft, 1, true)
        .await
        .unwrap();
    // Every new authorization (3 users x 2 services) is bound to the branch.
    assert_eq!(
        count(
            &state.pool,
            &format!(
                "SELECT count(*) FROM authorizations WHERE branch_id = '{}' AND kind = 'service'",
                branch.id
            )
        )
        .await,
        6
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM authorizations z JOIN application_users au ON au.user_id = z.user_id
              WHERE z.branch_id IS NULL AND z.kind = 'service'"
        )
        .await,
        0
    );
    let detail = applications::detail(&state.pool, &manager, &id)
        .await
        .unwrap();
    assert_eq!(
        detail.branch,
        Some(format!("{} {}", branch.number, branch.name))
    );
}
