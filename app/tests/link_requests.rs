//! Link requests (koppelverzoeken) against a real Postgres: a manager asks an existing user, by
//! e-mail address, to be linked to another organization; an unknown address answers exactly
//! like a known one; the user accepts (a member at once, a candidate for new authorizations) or
//! declines under Mijn account; the manager withdraws; nobody else can answer or withdraw.

mod common;

use app::api::ApiError;
use app::domain::codes::{Field, Rule};
use app::domain::ids::{LinkRequestId, OrgId, UserId};
use app::domain::link_request::Status;
use app::server::authorizations::request;
use app::server::demo::{MANAGER, USER};
use app::server::link_requests;
use common::{api, sign_in, state};
use sqlx::PgPool;
use uuid::Uuid;

async fn org(pool: &PgPool, kvk: &str) -> OrgId {
    let id: Uuid = sqlx::query_scalar("SELECT id FROM organizations WHERE kvk_number = $1")
        .bind(kvk)
        .fetch_one(pool)
        .await
        .unwrap();
    id.into()
}

const BERG: &str = "56789012";
/// Pieter van Dam, the demo user: a user of Bakkerij only.
const PIETER: &str = "pieter.vandam@bakkerij-devries.nl";

async fn outbox(pool: &PgPool) -> Vec<(String, String)> {
    sqlx::query_as("SELECT recipient, subject FROM outbox ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn link_of(pool: &PgPool, email: &str) -> LinkRequestId {
    let id: Uuid = sqlx::query_scalar(
        "SELECT id FROM link_requests WHERE lower(email) = lower($1) ORDER BY created_at DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap();
    id.into()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_user_accepts_a_link_request_and_becomes_a_candidate_for_authorizations(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let m = manager.manager().unwrap();
    let berg = org(&state.pool, BERG).await;
    sqlx::query("DELETE FROM outbox")
        .execute(&state.pool)
        .await
        .unwrap();

    link_requests::send(&state, &m, &berg, " Pieter.VanDam@bakkerij-devries.nl ")
        .await
        .unwrap();
    let sent = outbox(&state.pool).await;
    assert_eq!(
        sent,
        vec![(
            PIETER.to_string(),
            "Berg Advies V.O.F. vraagt uw eHerkenning te koppelen".to_string()
        )]
    );
    // Asking again while it is open is the same request: no second mail.
    link_requests::send(&state, &m, &berg, PIETER)
        .await
        .unwrap();
    assert_eq!(outbox(&state.pool).await.len(), 1);
    let open = link_requests::sent(&state.pool, &m).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].organization, "Berg Advies V.O.F.");

    let (_, pieter) = sign_in(&state, USER).await;
    let mine = link_requests::received(&state.pool, &pieter).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].sent_by, "Eva Jansen");
    let answered = link_requests::answer(&state, &pieter, &mine[0].id, true)
        .await
        .unwrap();
    assert_eq!(answered, Status::Accepted);
    // A member of Berg now: the manager can request authorizations for him there.
    let candidates = request::candidates(&state.pool, &m, &berg, "van dam", false, None)
        .await
        .unwrap();
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].name, "Pieter van Dam");
    assert!(candidates[0].linked);
    assert!(
        request::candidates(&state.pool, &m, &berg, "van dam", true, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(link_requests::received(&state.pool, &pieter)
        .await
        .unwrap()
        .is_empty());
    assert!(link_requests::sent(&state.pool, &m)
        .await
        .unwrap()
        .is_empty());
    // The manager hears it; answering twice finds nothing.
    assert!(outbox(&state.pool).await.contains(&(
        "eva.jansen@bakkerij-devries.nl".to_string(),
        "Pieter van Dam heeft de koppeling met Berg Advies V.O.F. geaccepteerd".to_string()
    )));
    // Its link resumes the request with Berg Advies and Pieter chosen; the page asks for just him.
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE recipient = 'eva.jansen@bakkerij-devries.nl' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert!(
        body.contains(&format!(
            "/beheer/machtigingen/aanvragen?organisatie={}&gebruiker={}",
            berg.uuid(),
            pieter.user_id
        )),
        "{body}"
    );
    let him = UserId::from(pieter.user_id);
    let only = request::candidates(&state.pool, &m, &berg, "", false, Some(&him))
        .await
        .unwrap();
    assert_eq!(
        only.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Pieter van Dam"]
    );
    // A user of another organization (Zorggroep Noord): nobody, exactly as for a made-up id.
    let elsewhere: Uuid = sqlx::query_scalar(
        "SELECT m.user_id FROM memberships m JOIN organizations o ON o.id = m.org_id
          WHERE o.kvk_number = '70123456' LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    for other in [Uuid::new_v4(), elsewhere] {
        assert!(
            request::candidates(&state.pool, &m, &berg, "", false, Some(&other.into()))
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(
        api(link_requests::answer(&state, &pieter, &mine[0].id, false)
            .await
            .unwrap_err()),
        ApiError::NotFound
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action IN ('link.requested', 'link.accepted')",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_unknown_address_answers_exactly_like_a_known_one(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let m = manager.manager().unwrap();
    let berg = org(&state.pool, BERG).await;
    sqlx::query("DELETE FROM outbox")
        .execute(&state.pool)
        .await
        .unwrap();
    let known = link_requests::send(&state, &m, &berg, PIETER).await;
    let unknown = link_requests::send(&state, &m, &berg, "nobody.here@example.nl").await;
    assert!(known.is_ok() && unknown.is_ok());
    // Both listed alike; only the known address got a mail.
    let open = link_requests::sent(&state.pool, &m).await.unwrap();
    assert_eq!(open.len(), 2);
    assert_eq!(outbox(&state.pool).await.len(), 1);
    // Both can be withdrawn alike.
    for email in [PIETER, "nobody.here@example.nl"] {
        let id = link_of(&state.pool, email).await;
        link_requests::withdraw(&state.pool, &m, &id).await.unwrap();
        assert_eq!(
            api(link_requests::withdraw(&state.pool, &m, &id)
                .await
                .unwrap_err()),
            ApiError::NotFound
        );
    }
    assert!(link_requests::sent(&state.pool, &m)
        .await
        .unwrap()
        .is_empty());
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn bad_addresses_members_and_other_organizations_are_refused(pool: PgPool) {
    let state = state(pool).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    let m = manager.manager().unwrap();
    let berg = org(&state.pool, BERG).await;
    let noord = org(&state.pool, "70123456").await;
    let noord_id = noord.uuid();
    let bakkerij = org(&state.pool, "34123456").await;
    let refused = |o: OrgId, email: &'static str| {
        let (state, m) = (state.clone(), m.clone());
        async move {
            api(link_requests::send(&state, &m, &o, email)
                .await
                .unwrap_err())
        }
    };
    assert_eq!(
        refused(berg.clone(), "not an address").await,
        ApiError::validation(Field::Email, Rule::InvalidEmail)
    );
    assert_eq!(
        refused(bakkerij, PIETER).await,
        ApiError::validation(Field::Email, Rule::AlreadyMember)
    );
    assert_eq!(refused(noord, PIETER).await, ApiError::NotFound);
    assert_eq!(
        refused(OrgId::from(Uuid::new_v4()), PIETER).await,
        ApiError::NotFound
    );

    // A request to Pieter: only Pieter answers it; only a manager of Berg withdraws it.
    link_requests::send(&state, &m, &berg, PIETER)
        .await
        .unwrap();
    let id = link_of(&state.pool, PIETER).await;
    let stranger_request = link_requests::answer(&state, &manager, &id, true)
        .await
        .unwrap_err();
    assert_eq!(api(stranger_request), ApiError::NotFound);
    // A manager of Zorggroep Noord only (Pieter, made one for this).
    sqlx::query(
        "WITH m AS (INSERT INTO memberships (user_id, org_id)
                    SELECT u.id, $2 FROM users u WHERE u.email = $1 RETURNING user_id, org_id)
         INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         SELECT user_id, org_id, 'admin', 'EH2', now() - interval '1 day', now() + interval '1 year', 'active'
           FROM m",
    )
    .bind(PIETER)
    .bind(noord_id)
    .execute(&state.pool)
    .await
    .unwrap();
    let (_, pieter) = sign_in(&state, USER).await;
    assert_eq!(
        api(
            link_requests::withdraw(&state.pool, &pieter.manager().unwrap(), &id)
                .await
                .unwrap_err()
        ),
        ApiError::NotFound
    );
    let declined = link_requests::answer(&state, &pieter, &id, false)
        .await
        .unwrap();
    assert_eq!(declined, Status::Declined);
    let members: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE u.email = $1 AND m.org_id = $2",
    )
    .bind(PIETER)
    .bind(berg.uuid())
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(members, 0);
}
