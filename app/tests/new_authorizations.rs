//! "Nieuwe machtigingen aanvragen" against a real Postgres: a user who holds a login means gets
//! new authorizations, active at once, in one order at the price the manager saw, with the
//! manager's right when asked; every rule refuses with nothing written; another organization's
//! users and the organization itself answer exactly like missing ones.

mod common;

use app::api::ApiError;
use app::domain::codes::{Field, Rule};
use app::domain::ids::{OrgId, ServiceId, UserId};
use app::domain::level::AssuranceLevel;
use app::domain::new_authorizations::NewAuthorizations;
use app::domain::tariff::Validity;
use app::server::authorizations::request;
use app::server::demo::MANAGER;
use app::server::session::Manager;
use app::server::AppState;
use common::{api, sign_in, state};
use sqlx::PgPool;
use uuid::Uuid;

async fn manager(state: &AppState) -> Manager {
    let (_, user) = sign_in(state, MANAGER).await;
    user.manager().unwrap()
}

async fn scalar<T>(pool: &PgPool, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// A generated user of Bakkerij (EH3, one service), two services they do not hold, and the org.
async fn setting(pool: &PgPool) -> (OrgId, UserId, Vec<ServiceId>) {
    let (org, user): (Uuid, Uuid) = sqlx::query_as(
        "SELECT m.org_id, u.id FROM users u JOIN memberships m ON m.user_id = u.id
           JOIN organizations o ON o.id = m.org_id
          WHERE o.kvk_number = '34123456' AND u.email LIKE 'demo.%' AND u.status = 'active'
          ORDER BY u.sort_key LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let services: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT service_uuid FROM services
          WHERE min_level IN ('EH2', 'EH2+', 'EH3')
            AND service_uuid NOT IN (SELECT service_uuid FROM authorizations
                                      WHERE user_id = $1 AND service_uuid IS NOT NULL)
          ORDER BY service_uuid LIMIT 2",
    )
    .bind(user)
    .fetch_all(pool)
    .await
    .unwrap();
    (
        org.into(),
        user.into(),
        services.into_iter().map(Into::into).collect(),
    )
}

fn asked(org: &OrgId, user: &UserId, services: &[ServiceId]) -> NewAuthorizations {
    NewAuthorizations {
        org_id: Some(org.clone()),
        user_id: Some(user.clone()),
        level: Some(AssuranceLevel::Eh3),
        all_services: false,
        services: services.to_vec(),
        also_manager: false,
        validity: Validity::ThreeYears,
    }
}

/// Two services at EH3 for three years: 2 × € 25,00 plus 21 % VAT.
const TWO_FOR_THREE_YEARS: i64 = 6050;

async fn written(pool: &PgPool) -> (i64, i64, i64) {
    (
        scalar(pool, "SELECT count(*) FROM authorizations").await,
        scalar(pool, "SELECT count(*) FROM authorization_orders").await,
        scalar(pool, "SELECT count(*) FROM outbox").await,
    )
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_user_with_a_means_gets_the_authorizations_at_once_in_one_order(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let (org, user, services) = setting(&state.pool).await;
    let start = request::start(&state.pool, &m).await.unwrap();
    assert_eq!(start.organizations.len(), 2);
    let found = request::candidates(&state.pool, &m, &org, "", false, None)
        .await
        .unwrap();
    let me = found.iter().find(|c| c.id == user).expect("a candidate");
    assert_eq!(me.level, AssuranceLevel::Eh3);
    assert_eq!(me.services.len(), 1);
    assert!(!me.is_manager);

    let made = request::request(
        &state,
        &m,
        &asked(&org, &user, &services),
        TWO_FOR_THREE_YEARS,
        1,
        true,
    )
    .await
    .unwrap();
    assert_eq!(made, 2);
    let active: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM authorizations WHERE user_id = $1 AND service_uuid = ANY($2)
            AND state = 'active' AND valid_from > now() - interval '1 minute'
            AND valid_until::date = (valid_from + interval '3 years')::date AND level = 'EH3'",
    )
    .bind(user.uuid())
    .bind(services.iter().map(ServiceId::uuid).collect::<Vec<_>>())
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(active, 2);
    let (total, items): (i64, i64) = sqlx::query_as(
        "SELECT o.total_cents, (SELECT count(*) FROM authorization_order_items i WHERE i.order_id = o.id)
           FROM authorization_orders o",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!((total, items), (TWO_FOR_THREE_YEARS, 2));
    let mail: String = scalar(
        &state.pool,
        "SELECT subject FROM outbox WHERE recipient LIKE 'demo.%' ORDER BY id DESC LIMIT 1",
    )
    .await;
    assert_eq!(mail, "Nieuwe machtigingen voor Bakkerij De Vries B.V.");
    assert_eq!(
        scalar::<i64>(
            &state.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'authorizations.requested'"
        )
        .await,
        1
    );
    // Asking again for what the user now holds is refused.
    let again = request::request(
        &state,
        &m,
        &asked(&org, &user, &services[..1]),
        1815,
        1,
        true,
    )
    .await
    .unwrap_err();
    assert_eq!(
        api(again),
        ApiError::validation(Field::Services, Rule::Taken)
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn all_services_and_the_managers_right_together(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let (org, user, _) = setting(&state.pool).await;
    let req = NewAuthorizations {
        all_services: true,
        services: vec![],
        also_manager: true,
        validity: Validity::OneYear,
        ..asked(&org, &user, &[])
    };
    // One paid authorization (€ 15,00 + VAT); the manager's right is free.
    let made = request::request(&state, &m, &req, 1815, 1, true)
        .await
        .unwrap();
    assert_eq!(made, 2);
    let (kind_all, admin_until_matches): (i64, bool) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE kind = 'all_services'),
                max(valid_until) FILTER (WHERE kind = 'admin')
                  = max(valid_until) FILTER (WHERE kind <> 'admin')
           FROM authorizations WHERE user_id = $1 AND state = 'active'",
    )
    .bind(user.uuid())
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(kind_all, 1);
    assert!(
        admin_until_matches,
        "the manager's right ends with the login authorization"
    );
    let found = request::candidates(&state.pool, &m, &org, "", false, None)
        .await
        .unwrap();
    let me = found.iter().find(|c| c.id == user).unwrap();
    assert!(me.is_manager && me.holds_all_services);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn every_rule_refuses_with_nothing_written(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let (org, user, services) = setting(&state.pool).await;
    let before = written(&state.pool).await;
    let ok = asked(&org, &user, &services);
    let refused = |req: NewAuthorizations, total: i64, terms: i32, agreed: bool| {
        let (state, m) = (state.clone(), m.clone());
        async move {
            api(request::request(&state, &m, &req, total, terms, agreed)
                .await
                .unwrap_err())
        }
    };
    // Above the manager's own level (EH3), and above the user's means.
    let eh4 = NewAuthorizations {
        level: Some(AssuranceLevel::Eh4),
        ..ok.clone()
    };
    assert_eq!(
        refused(eh4, TWO_FOR_THREE_YEARS, 1, true).await,
        ApiError::validation(Field::Level, Rule::AboveOwnLevel)
    );
    sqlx::query("UPDATE users SET level = 'EH2' WHERE id = $1")
        .bind(user.uuid())
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        refused(ok.clone(), TWO_FOR_THREE_YEARS, 1, true).await,
        ApiError::validation(Field::Level, Rule::AboveLevel)
    );
    sqlx::query("UPDATE users SET level = 'EH3' WHERE id = $1")
        .bind(user.uuid())
        .execute(&state.pool)
        .await
        .unwrap();
    // Nothing asked; the price, the terms or the agreement not as shown.
    let nothing = NewAuthorizations {
        services: vec![],
        ..ok.clone()
    };
    assert_eq!(
        refused(nothing, 0, 1, true).await,
        ApiError::validation(Field::Services, Rule::Required)
    );
    assert_eq!(
        refused(ok.clone(), TWO_FOR_THREE_YEARS - 1, 1, true).await,
        ApiError::validation(Field::Authorization, Rule::Outdated)
    );
    assert_eq!(
        refused(ok.clone(), TWO_FOR_THREE_YEARS, 0, true).await,
        ApiError::validation(Field::Terms, Rule::Outdated)
    );
    assert_eq!(
        refused(ok.clone(), TWO_FOR_THREE_YEARS, 1, false).await,
        ApiError::validation(Field::Terms, Rule::NotAgreed)
    );
    // A service that does not exist.
    let unknown = NewAuthorizations {
        services: vec![ServiceId::parse("00000000-0000-0000-0000-0000000000aa").unwrap()],
        ..ok.clone()
    };
    assert_eq!(
        refused(unknown, 1815, 1, true).await,
        ApiError::validation(Field::Services, Rule::Unknown)
    );
    assert_eq!(written(&state.pool).await, before);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn another_organizations_users_answer_exactly_like_missing_ones(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let (org, user, services) = setting(&state.pool).await;
    let (noord, noord_user): (Uuid, Uuid) = sqlx::query_as(
        "SELECT m.org_id, m.user_id FROM memberships m JOIN organizations o ON o.id = m.org_id
          WHERE o.kvk_number = '70123456' LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let missing = Uuid::new_v4();
    let before = written(&state.pool).await;
    for (o, u) in [
        (OrgId::from(noord), UserId::from(noord_user)),
        (OrgId::from(missing), user.clone()),
        // Bakkerij with a user of Zorggroep Noord, and with a user that does not exist.
        (org.clone(), UserId::from(noord_user)),
        (org.clone(), UserId::from(missing)),
    ] {
        let req = asked(&o, &u, &services);
        assert_eq!(
            api(
                request::request(&state, &m, &req, TWO_FOR_THREE_YEARS, 1, true)
                    .await
                    .unwrap_err()
            ),
            ApiError::NotFound
        );
    }
    for o in [OrgId::from(noord), OrgId::from(missing)] {
        assert_eq!(
            api(request::candidates(&state.pool, &m, &o, "", false, None)
                .await
                .unwrap_err()),
            ApiError::NotFound
        );
    }
    assert_eq!(written(&state.pool).await, before);
}
