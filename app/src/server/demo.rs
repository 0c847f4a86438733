//! Demo data for development, loaded on first start when the database has no users: three
//! organizations with branches, the sample service catalog, an authorization manager (EH3) for
//! two of them, an EH2 user, a broker operator, and users with authorizations. The sign-in
//! details are in the README.

use super::account::remember_password;
use super::error::{ServiceError, ServiceResult};
use super::passwords;
use crate::domain::csv;
use crate::domain::level::AssuranceLevel;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub const MANAGER: (&str, &str) = ("demo.beheerder", "Welkom-Machtig1");
pub const USER: (&str, &str) = ("demo.gebruiker", "Gebruiker-2026");
pub const OPERATOR: (&str, &str) = ("demo.makelaar", "Controle-2026!");

const CATALOG: &str = include_str!("../../seed/service-catalog.csv");

struct Org {
    kvk: &'static str,
    name: &'static str,
    street: &'static str,
    postal_code: &'static str,
    city: &'static str,
    branches: &'static [(&'static str, &'static str, &'static str)],
}

const ORGS: [Org; 3] = [
    Org {
        kvk: "34123456",
        name: "Bakkerij De Vries B.V.",
        street: "Dorpsstraat 12",
        postal_code: "1234 AB",
        city: "Amsterdam",
        branches: &[
            ("000012345601", "Bakkerij De Vries Amsterdam", "Amsterdam"),
            ("000012345602", "Bakkerij De Vries Haarlem", "Haarlem"),
        ],
    },
    Org {
        kvk: "56789012",
        name: "Berg Advies V.O.F.",
        street: "Stationsplein 3",
        postal_code: "3511 ED",
        city: "Utrecht",
        branches: &[("000056789001", "Berg Advies Utrecht", "Utrecht")],
    },
    Org {
        kvk: "70123456",
        name: "Zorggroep Noord",
        street: "Ringweg 40",
        postal_code: "9712 AB",
        city: "Groningen",
        branches: &[],
    },
];

/// Loads the demo data unless there are users already. Returns whether it did.
pub async fn load_if_empty(pool: &PgPool) -> ServiceResult<bool> {
    let mut tx = pool.begin().await?;
    // Two processes starting at once must not both load.
    sqlx::query("SELECT pg_advisory_xact_lock(4242)")
        .execute(&mut *tx)
        .await?;
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    if users > 0 {
        return Ok(false);
    }
    let mut org_ids = Vec::new();
    for org in &ORGS {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO organizations (kvk_number, name, street, postal_code, city) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(org.kvk)
        .bind(org.name)
        .bind(org.street)
        .bind(org.postal_code)
        .bind(org.city)
        .fetch_one(&mut *tx)
        .await?;
        for (number, name, city) in org.branches {
            sqlx::query("INSERT INTO branches (org_id, branch_number, name, street, postal_code, city) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id)
                .bind(number)
                .bind(name)
                .bind(org.street)
                .bind(org.postal_code)
                .bind(city)
                .execute(&mut *tx)
                .await?;
        }
        org_ids.push(id);
    }
    load_catalog(&mut tx).await?;

    let manager = add_account(
        &mut tx,
        MANAGER,
        ("Eva", "", "Jansen"),
        "eva.jansen@bakkerij-devries.nl",
        "+31612345678",
        AssuranceLevel::Eh3,
        false,
    )
    .await?;
    for org in &org_ids[..2] {
        link(&mut tx, manager, *org, "admin", AssuranceLevel::Eh3).await?;
        link_more(&mut tx, manager, *org, "all_services", AssuranceLevel::Eh3).await?;
    }
    let user = add_account(
        &mut tx,
        USER,
        ("Pieter", "van", "Dam"),
        "pieter.vandam@bakkerij-devries.nl",
        "+31623456789",
        AssuranceLevel::Eh2,
        false,
    )
    .await?;
    link(
        &mut tx,
        user,
        org_ids[0],
        "all_services",
        AssuranceLevel::Eh2,
    )
    .await?;
    let operator = add_account(
        &mut tx,
        OPERATOR,
        ("Olga", "", "Operator"),
        "operator@machtig.localhost",
        "+31634567890",
        AssuranceLevel::Eh3,
        true,
    )
    .await?;
    let _ = operator;

    add_generated_users(&mut tx, &org_ids[..2], 40, "demo").await?;
    add_generated_users(&mut tx, &org_ids[2..], 6, "noord").await?;
    tx.commit().await?;
    Ok(true)
}

async fn load_catalog(conn: &mut PgConnection) -> ServiceResult<()> {
    for record in csv::records(CATALOG, ',').into_iter().skip(1) {
        let [uuid, provider, name, description, level] = record.as_slice() else {
            return Err(ServiceError::internal(
                "service catalog: a row without five fields",
            ));
        };
        let uuid: Uuid = uuid.parse().map_err(ServiceError::internal)?;
        let level = AssuranceLevel::parse(level).map_err(ServiceError::internal)?;
        sqlx::query("INSERT INTO services (service_uuid, provider, name, description, min_level) VALUES ($1, $2, $3, $4, $5)")
            .bind(uuid)
            .bind(provider)
            .bind(name)
            .bind(description)
            .bind(level.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn add_account(
    conn: &mut PgConnection,
    (username, password): (&str, &str),
    (first, infix, last): (&str, &str, &str),
    email: &str,
    mobile: &str,
    level: AssuranceLevel,
    is_operator: bool,
) -> ServiceResult<Uuid> {
    let hash = passwords::hash(password.to_string()).await?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, first_name, infix, last_name, email, mobile, level, is_operator)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(username)
    .bind(&hash)
    .bind(first)
    .bind(infix)
    .bind(last)
    .bind(email)
    .bind(mobile)
    .bind(level.as_str())
    .bind(is_operator)
    .fetch_one(&mut *conn)
    .await?;
    remember_password(conn, id, &hash).await?;
    Ok(id)
}

async fn link(
    conn: &mut PgConnection,
    user: Uuid,
    org: Uuid,
    kind: &str,
    level: AssuranceLevel,
) -> ServiceResult<()> {
    sqlx::query("INSERT INTO memberships (user_id, org_id) VALUES ($1, $2)")
        .bind(user)
        .bind(org)
        .execute(&mut *conn)
        .await?;
    link_more(conn, user, org, kind, level).await
}

async fn link_more(
    conn: &mut PgConnection,
    user: Uuid,
    org: Uuid,
    kind: &str,
    level: AssuranceLevel,
) -> ServiceResult<()> {
    sqlx::query(
        "INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         VALUES ($1, $2, $3, $4, now() - interval '30 days', now() - interval '30 days' + interval '3 years', 'active')",
    )
    .bind(user)
    .bind(org)
    .bind(kind)
    .bind(level.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Adds `count` users (set-based), spread over `orgs`, each with an authorization for a
/// catalog service at EH3. Used by the demo data and by the benchmark's bulk load. The users
/// have no sign-in yet, as users who were invited but did not choose a password.
pub async fn add_generated_users(
    conn: &mut PgConnection,
    orgs: &[Uuid],
    count: i64,
    tag: &str,
) -> Result<u64, sqlx::Error> {
    let inserted = sqlx::query(
        "WITH first_names AS (SELECT ARRAY['Sanne','Mohamed','Joost','Fatima','Daan','Lotte','Bram','Noor','Lucas','Emma',
                                           'Sem','Julia','Finn','Tess','Ayoub','Mila','Thijs','Sara','Jesse','Anouk'] AS a),
              last_names AS (SELECT ARRAY['Vries','Amrani','Berg','Bakker','Visser','Smit','Meijer','Mulder','Bos','Vos',
                                          'Peters','Hendriks','Dekker','Brouwer','Dijkstra','Yilmaz','Kok','Jacobs','Willems','Vermeulen'] AS a),
              infixes AS (SELECT ARRAY['de','','van der','','van','','',''] AS a),
              new_users AS (
                INSERT INTO users (first_name, infix, last_name, email, mobile, level)
                SELECT f.a[1 + (i % 20)], x.a[1 + (i % 8)], l.a[1 + ((i / 20) % 20)],
                       lower($3 || '.' || i || '@example.nl'),
                       '+316' || lpad((10000000 + i)::text, 8, '0'), 'EH3'
                FROM generate_series(1, $2::int8) AS i, first_names f, last_names l, infixes x
                RETURNING id, (random() * 1000000)::int8 AS r
              ),
              linked AS (
                INSERT INTO memberships (user_id, org_id)
                SELECT id, ($1::uuid[])[1 + (r % cardinality($1::uuid[]))] FROM new_users
                RETURNING user_id, org_id
              )
         INSERT INTO authorizations (user_id, org_id, kind, service_uuid, level, valid_from, valid_until, state)
         SELECT l.user_id, l.org_id, 'service', s.service_uuid, 'EH3', now() - interval '1 year', now() + interval '2 years', 'active'
         FROM linked l, LATERAL (SELECT service_uuid FROM services ORDER BY service_uuid LIMIT 1) s",
    )
    .bind(orgs)
    .bind(count)
    .bind(tag)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected())
}

/// For the Machtigingen benchmarks: `count` authorizations over `count / 5` new users (tagged
/// `tag`) of `orgs`, five each (one as `add_generated_users` makes it, four more of other
/// services and levels): of the four, 2.5 % active and due a notice (ending within two months),
/// 7 % expired, 5 % revoked, 3 % pending, the rest active and ending within three years.
pub async fn add_generated_authorizations(
    conn: &mut PgConnection,
    orgs: &[Uuid],
    count: i64,
    tag: &str,
) -> Result<u64, sqlx::Error> {
    let users = count / 5;
    let mut added = add_generated_users(&mut *conn, orgs, users, tag).await?;
    let more = sqlx::query(
        "WITH svc AS (SELECT array_agg(DISTINCT service_uuid ORDER BY service_uuid) AS a FROM services),
              gen AS (
                SELECT m.user_id, m.org_id, k,
                       row_number() OVER (ORDER BY m.user_id, k) AS n
                  FROM users u JOIN memberships m ON m.user_id = u.id, generate_series(1, 4) AS k
                 WHERE u.email LIKE lower($1) || '.%@example.nl'
              ),
              kind AS (
                SELECT g.*, CASE WHEN n % 40 = 0 THEN 'due'
                                 WHEN n % 100 < 7 THEN 'expired'
                                 WHEN n % 100 < 12 THEN 'revoked'
                                 WHEN n % 100 < 15 THEN 'pending'
                                 ELSE 'active' END AS st
                  FROM gen g
              )
         INSERT INTO authorizations (user_id, org_id, kind, service_uuid, level, valid_from, valid_until, state)
         SELECT k.user_id, k.org_id, 'service',
                svc.a[1 + ((k.n / 4 * 7 + k.k * 11) % cardinality(svc.a))],
                (ARRAY['EH2', 'EH2+', 'EH3'])[1 + (k.n % 3)],
                now() - interval '1 year',
                CASE k.st WHEN 'due' THEN now() + make_interval(days => 1 + (k.n % 58)::int)
                          WHEN 'expired' THEN now() - make_interval(days => 1 + (k.n % 300)::int)
                          ELSE now() + make_interval(days => 62 + (k.n % 1000)::int) END,
                CASE k.st WHEN 'due' THEN 'active' ELSE k.st END
           FROM kind k, svc",
    )
    .bind(tag)
    .execute(&mut *conn)
    .await?;
    added += more.rows_affected();
    Ok(added)
}
