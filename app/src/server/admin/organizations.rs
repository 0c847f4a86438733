//! `server create-organization`: a customer organization, as the KvK register knows it, with
//! its first authorization manager. The manager is invited like every new user (a personal
//! link by e-mail, accepted on the phone with an SMS code); once issued, they sign in and add
//! their colleagues themselves. The application is recorded as submitted by the operator who
//! ran the command, at the current tariffs and terms, so it shows up in the normal flows
//! (the final check for a manager who is not employed by the organization, outcome e-mails).

use super::operators::{CheckedPerson, Person};
use super::{refuse, AdminResult};
use crate::domain::kvk::KvkNumber;
use crate::domain::level::AssuranceLevel;
use crate::domain::tariff::{self, Validity};
use crate::server::kvk_register::{KvkRegister, Registration};
use crate::server::{audit, catalog, tokens, wizard};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct NewOrganization {
    pub kvk: String,
    pub manager: Person,
    /// The manager's assurance level: their means and their manager's right.
    pub level: AssuranceLevel,
    pub validity: Validity,
    /// Employed by the organization (issued at once after acceptance) or not (identity
    /// verification and the operator's final check first).
    pub employed: bool,
    /// The username of the operator running the command.
    pub operator: String,
}

#[derive(Debug)]
pub struct Created {
    pub org_id: Uuid,
    pub name: String,
    pub application_id: Uuid,
    pub total_cents: i64,
}

/// Looks the organization up in `register` and creates it with the invited manager, in one
/// transaction. `stand_in` is used when the register does not know the number: only the
/// development register (our own tables) needs it, and the command offers it only there.
pub async fn create(
    pool: &PgPool,
    register: &dyn KvkRegister,
    public_url: &str,
    new: &NewOrganization,
    stand_in: Option<Registration>,
) -> AdminResult<Created> {
    let Ok(kvk) = KvkNumber::parse(&new.kvk) else {
        return refuse(format!("{:?} is not a KvK number (8 digits)", new.kvk));
    };
    let manager = new.manager.check()?;
    let registration = match register.lookup(pool, &kvk).await? {
        Some(r) => r,
        None => match stand_in {
            Some(r) => r,
            None => return refuse(format!("the KvK register does not know {}", kvk.as_str())),
        },
    };
    let mut tx = pool.begin().await?;
    let operator: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM users WHERE username = $1 AND is_operator AND status = 'active'",
    )
    .bind(new.operator.trim().to_lowercase())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(operator) = operator else {
        return refuse(format!(
            "{} is not an active operator (create one with `server create-operator`)",
            new.operator
        ));
    };
    let org_id = insert_organization(&mut tx, &kvk, &registration).await?;
    let prices = catalog::price_list(&mut tx).await?;
    let Ok(quote) = tariff::quote(&prices, new.level, new.validity, 1, 1) else {
        return refuse(format!(
            "there is no tariff for {} and {} year(s) (see `server import-tariffs`)",
            new.level.as_str(),
            new.validity.years()
        ));
    };
    let terms = wizard::current_terms(&mut tx).await?;
    let application_id: Uuid = sqlx::query_scalar(
        "INSERT INTO applications (org_id, level, all_services, with_authorizations,
             validity_years, subtotal_cents, vat_cents, total_cents, terms_version, submitted_by,
             idempotency_key)
         VALUES ($1, $2, true, true, $3, $4, $5, $6, $7, $8, gen_random_uuid())
         RETURNING id",
    )
    .bind(org_id)
    .bind(new.level.as_str())
    .bind(i32::from(new.validity.years()))
    .bind(quote.subtotal_cents)
    .bind(quote.vat_cents)
    .bind(quote.total_cents)
    .bind(terms.version)
    .bind(operator)
    .fetch_one(&mut *tx)
    .await?;
    let applicant = invite_manager(
        &mut tx,
        public_url,
        org_id,
        application_id,
        &registration.name,
        &manager,
        new,
    )
    .await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::OrganizationCreated,
        Some(org_id),
        super::with_actor(serde_json::json!({
            "kvk": kvk.as_str(),
            "operator_id": operator,
            "application_id": application_id,
            "applicant_id": applicant,
            "level": new.level.as_str(),
            "validity_years": new.validity.years(),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(Created {
        org_id,
        name: registration.name,
        application_id,
        total_cents: quote.total_cents,
    })
}

async fn insert_organization(
    conn: &mut PgConnection,
    kvk: &KvkNumber,
    r: &Registration,
) -> AdminResult<Uuid> {
    let org_id: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO organizations (kvk_number, name, street, postal_code, city)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kvk_number) DO NOTHING RETURNING id",
    )
    .bind(kvk.as_str())
    .bind(&r.name)
    .bind(&r.street)
    .bind(&r.postal_code)
    .bind(&r.city)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(org_id) = org_id else {
        return refuse(format!(
            "{} ({}) is a customer already: its managers add users and managers in the portal",
            r.name,
            kvk.as_str()
        ));
    };
    for b in &r.branches {
        sqlx::query(
            "INSERT INTO branches (org_id, branch_number, name, street, postal_code, city)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (branch_number) DO NOTHING",
        )
        .bind(org_id)
        .bind(&b.number)
        .bind(&b.name)
        .bind(&b.street)
        .bind(&b.postal_code)
        .bind(&b.city)
        .execute(&mut *conn)
        .await?;
    }
    Ok(org_id)
}

/// The manager as a new user without credentials, with the all-services authorization (the
/// login authorization) and the manager's right, both pending until issued, and the invitation.
async fn invite_manager(
    conn: &mut PgConnection,
    public_url: &str,
    org_id: Uuid,
    application_id: Uuid,
    org_name: &str,
    m: &CheckedPerson,
    new: &NewOrganization,
) -> AdminResult<Uuid> {
    let user: Uuid = sqlx::query_scalar(
        "INSERT INTO users (first_name, infix, last_name, email, mobile, level, language, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id",
    )
    .bind(&m.first_name)
    .bind(&m.infix)
    .bind(&m.last_name)
    .bind(m.email.as_str())
    .bind(m.mobile.as_str())
    .bind(new.level.as_str())
    .bind(m.language)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO memberships (user_id, org_id, employed) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(org_id)
        .bind(new.employed)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         SELECT $1, $2, kind, $3, now(), now() + make_interval(years => $4), 'pending'
           FROM unnest(ARRAY['all_services', 'admin']) AS kind",
    )
    .bind(user)
    .bind(org_id)
    .bind(new.level.as_str())
    .bind(i32::from(new.validity.years()))
    .execute(&mut *conn)
    .await?;
    let applicant: Uuid = sqlx::query_scalar(
        "INSERT INTO application_users (application_id, user_id) VALUES ($1, $2) RETURNING id",
    )
    .bind(application_id)
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    wizard::invite(
        conn,
        public_url,
        org_name,
        &[applicant],
        &[tokens::new_token()],
        &[(
            m.email.as_str().to_string(),
            m.first_name.clone(),
            m.language.to_string(),
        )],
    )
    .await?;
    Ok(applicant)
}
