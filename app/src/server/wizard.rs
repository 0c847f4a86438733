//! The add-users wizard: the manager's draft (one per manager, kept across reloads), the
//! checks of its steps, and submitting the application. Submitting checks the whole draft
//! again, as if the browser had checked nothing, and writes everything in one transaction,
//! set-based: 10,000 users cost a handful of statements, not 10,000 round trips.

use super::dutch_time;
use super::error::{ServiceError, ServiceResult};
use super::session::SessionUser;
use super::state::AppState;
use super::{applications, audit, catalog, outbox, tokens};
use crate::api::wizard::{Branch, Draft, OrgDetails, Terms, WizardStart, MAX_USERS};
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::kvk::KvkNumber;
use crate::domain::level::AssuranceLevel;
use crate::domain::new_user::{self, FieldProblem};
use crate::domain::tariff::{self, Validity};
use crate::domain::user_import::{self, ImportRow};
use base64::Engine;
use sqlx::{PgConnection, PgPool, Row};
use std::collections::HashSet;
use uuid::Uuid;

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 30;
/// The largest draft we keep, as JSON.
const MAX_DRAFT_BYTES: usize = 8 * 1024 * 1024;

/// The organization, if the caller manages it; another organization answers like a missing one.
fn managed_org(caller: &SessionUser, org_id: &str) -> ServiceResult<Uuid> {
    Uuid::parse_str(org_id)
        .ok()
        .filter(|id| caller.managed_orgs.contains(id))
        .ok_or_else(|| ApiError::NotFound.into())
}

pub async fn start(state: &AppState, caller: &SessionUser) -> ServiceResult<WizardStart> {
    caller.require_manager()?;
    let mut conn = state.pool.acquire().await?;
    let draft = load_or_create(&mut conn, caller).await?;
    let organizations = applications::managed_organizations(&mut conn, caller).await?;
    let prices = catalog::price_list(&mut conn).await?;
    let terms = current_terms(&mut conn).await?;
    Ok(WizardStart {
        draft,
        organizations,
        max_level: caller.level,
        prices,
        terms,
        today: dutch_time::today(&mut *conn).await?,
    })
}

async fn load_or_create(conn: &mut PgConnection, caller: &SessionUser) -> ServiceResult<Draft> {
    let stored: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT data FROM wizard_drafts WHERE manager_id = $1")
            .bind(caller.user_id)
            .fetch_optional(&mut *conn)
            .await?;
    // A draft saved by an older version that no longer reads is started over.
    if let Some(draft) = stored.and_then(|v| serde_json::from_value::<Draft>(v).ok()) {
        return Ok(draft);
    }
    let draft = Draft::new(Uuid::new_v4().to_string());
    store(conn, caller, &draft).await?;
    Ok(draft)
}

async fn store(conn: &mut PgConnection, caller: &SessionUser, draft: &Draft) -> ServiceResult<()> {
    let json = serde_json::to_value(draft).map_err(ServiceError::internal)?;
    sqlx::query(
        "INSERT INTO wizard_drafts (manager_id, data) VALUES ($1, $2)
         ON CONFLICT (manager_id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()",
    )
    .bind(caller.user_id)
    .bind(json)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn current_terms(conn: &mut PgConnection) -> ServiceResult<Terms> {
    let r =
        sqlx::query("SELECT version, body_nl, body_en FROM terms ORDER BY version DESC LIMIT 1")
            .fetch_one(conn)
            .await?;
    Ok(Terms {
        version: r.get("version"),
        text_nl: r.get("body_nl"),
        text_en: r.get("body_en"),
    })
}

/// Keeps the draft as the browser sends it. Only its size and shape are checked here; the
/// rules are checked on submit.
pub async fn save(pool: &PgPool, caller: &SessionUser, draft: &Draft) -> ServiceResult<()> {
    caller.require_manager()?;
    if draft.users.len() > MAX_USERS {
        return Err(ApiError::validation(Field::Users, Rule::TooMany).into());
    }
    if Uuid::parse_str(&draft.submission_key).is_err() {
        return Err(ApiError::BadRequest.into());
    }
    let size = serde_json::to_vec(draft)
        .map_err(ServiceError::internal)?
        .len();
    if size > MAX_DRAFT_BYTES {
        return Err(ApiError::validation(Field::Users, Rule::TooMany).into());
    }
    let mut conn = pool.acquire().await?;
    store(&mut conn, caller, draft).await
}

pub async fn discard(pool: &PgPool, caller: &SessionUser) -> ServiceResult<Draft> {
    caller.require_manager()?;
    let draft = Draft::new(Uuid::new_v4().to_string());
    let mut conn = pool.acquire().await?;
    store(&mut conn, caller, &draft).await?;
    Ok(draft)
}

/// Step 2: the typed KvK number must be the chosen organization's, and the register must know
/// it. Branches the register names are kept in our branches table, so users can be bound to one.
pub async fn check_kvk(
    state: &AppState,
    caller: &SessionUser,
    org_id: &str,
    kvk: &str,
) -> ServiceResult<OrgDetails> {
    caller.require_manager()?;
    let org = managed_org(caller, org_id)?;
    let kvk = KvkNumber::parse(kvk).map_err(|_| ApiError::validation(Field::Kvk, Rule::Invalid))?;
    let own: String = sqlx::query_scalar("SELECT kvk_number FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(&state.pool)
        .await?;
    if own != kvk.as_str() {
        return Err(ApiError::validation(Field::Kvk, Rule::Mismatch).into());
    }
    let Some(registration) = state.kvk.lookup(&state.pool, &kvk).await? else {
        return Err(ApiError::validation(Field::Kvk, Rule::NotRegistered).into());
    };
    let numbers: Vec<String> = registration
        .branches
        .iter()
        .map(|b| b.number.clone())
        .collect();
    let mut tx = state.pool.begin().await?;
    sqlx::query(
        "INSERT INTO branches (org_id, branch_number, name, street, postal_code, city)
         SELECT $1, * FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT (branch_number) DO UPDATE
           SET name = EXCLUDED.name, street = EXCLUDED.street,
               postal_code = EXCLUDED.postal_code, city = EXCLUDED.city
           WHERE branches.org_id = EXCLUDED.org_id",
    )
    .bind(org)
    .bind(&numbers)
    .bind(
        registration
            .branches
            .iter()
            .map(|b| b.name.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        registration
            .branches
            .iter()
            .map(|b| b.street.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        registration
            .branches
            .iter()
            .map(|b| b.postal_code.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        registration
            .branches
            .iter()
            .map(|b| b.city.clone())
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    let branches = sqlx::query(
        "SELECT id, branch_number, name, city FROM branches
         WHERE org_id = $1 AND branch_number = ANY($2) ORDER BY branch_number",
    )
    .bind(org)
    .bind(&numbers)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| Branch {
        id: r.get::<Uuid, _>("id").to_string(),
        number: r.get("branch_number"),
        name: r.get("name"),
        city: r.get("city"),
    })
    .collect();
    tx.commit().await?;
    Ok(OrgDetails {
        name: registration.name,
        kvk: registration.kvk,
        street: registration.street,
        postal_code: registration.postal_code,
        city: registration.city,
        branches,
    })
}

/// E-mail addresses (lowercase) among `emails` that belong to a user of the organization.
async fn members_among(
    conn: &mut PgConnection,
    org: Uuid,
    emails: &[String],
) -> ServiceResult<HashSet<String>> {
    let lower: Vec<String> = emails.iter().map(|e| e.trim().to_lowercase()).collect();
    let found: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT lower(u.email) FROM users u JOIN memberships m ON m.user_id = u.id
         WHERE m.org_id = $1 AND lower(u.email) = ANY($2)",
    )
    .bind(org)
    .bind(&lower)
    .fetch_all(conn)
    .await?;
    Ok(found.into_iter().collect())
}

pub async fn existing_emails(
    pool: &PgPool,
    caller: &SessionUser,
    org_id: &str,
    emails: &[String],
) -> ServiceResult<Vec<String>> {
    caller.require_manager()?;
    let org = managed_org(caller, org_id)?;
    if emails.len() > MAX_USERS {
        return Err(ApiError::validation(Field::Users, Rule::TooMany).into());
    }
    let mut conn = pool.acquire().await?;
    let mut found: Vec<String> = members_among(&mut conn, org, emails)
        .await?
        .into_iter()
        .collect();
    found.sort();
    Ok(found)
}

/// Step 4: reads a CSV file into rows with their problems. Nothing is added: the browser shows
/// the preview, and the manager takes over valid rows and corrects the others.
pub async fn import_csv(
    pool: &PgPool,
    caller: &SessionUser,
    org_id: &str,
    file_base64: &str,
) -> ServiceResult<Vec<ImportRow>> {
    caller.require_manager()?;
    let org = managed_org(caller, org_id)?;
    if file_base64.len() > user_import::MAX_BYTES / 3 * 4 + 4 {
        return Err(ApiError::validation(Field::Csv, Rule::TooLarge).into());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file_base64.trim())
        .map_err(|_| ApiError::validation(Field::Csv, Rule::NotCsv))?;
    let mut conn = pool.acquire().await?;
    let import = user_import::parse(&bytes, dutch_time::today(&mut *conn).await?)
        .map_err(|e| ApiError::validation(Field::Csv, e.rule()))?;
    let mut rows = import.rows;
    let emails: Vec<String> = rows.iter().map(|r| r.user.email.clone()).collect();
    let members = members_among(&mut conn, org, &emails).await?;
    for row in &mut rows {
        if members.contains(&row.user.email.trim().to_lowercase()) {
            row.problems
                .push(FieldProblem::new(Field::Email, Rule::AlreadyMember));
        }
    }
    Ok(rows)
}

/// What the checks of a submitted draft found, ready to write.
struct Checked {
    org: Uuid,
    org_name: String,
    level: AssuranceLevel,
    branch: Option<Uuid>,
    users: Vec<new_user::ValidUser>,
    services: Vec<Uuid>,
    validity: Validity,
    quote: tariff::Quote,
}

async fn check_draft(
    conn: &mut PgConnection,
    caller: &SessionUser,
    draft: &Draft,
    terms_version: i32,
    agreed: bool,
) -> ServiceResult<Checked> {
    let org = managed_org(caller, draft.org_id.as_deref().unwrap_or_default())?;
    let level = draft
        .level
        .ok_or_else(|| ApiError::validation(Field::Level, Rule::Required))?;
    if level > caller.level {
        return Err(ApiError::validation(Field::Level, Rule::AboveOwnLevel).into());
    }
    let (org_name, org_kvk): (String, String) =
        sqlx::query_as("SELECT name, kvk_number FROM organizations WHERE id = $1")
            .bind(org)
            .fetch_one(&mut *conn)
            .await?;
    if KvkNumber::parse(&draft.kvk).map(|k| k.as_str() == org_kvk) != Ok(true) {
        return Err(ApiError::validation(Field::Kvk, Rule::Mismatch).into());
    }
    let branch = if draft.restrict_to_branch {
        let id = draft
            .branch_id
            .as_deref()
            .and_then(|b| Uuid::parse_str(b).ok())
            .ok_or_else(|| ApiError::validation(Field::Branch, Rule::Required))?;
        let ours: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM branches WHERE id = $1 AND org_id = $2)",
        )
        .bind(id)
        .bind(org)
        .fetch_one(&mut *conn)
        .await?;
        if !ours {
            return Err(ApiError::validation(Field::Branch, Rule::Unknown).into());
        }
        Some(id)
    } else {
        None
    };

    if draft.users.is_empty() {
        return Err(ApiError::validation(Field::Users, Rule::Required).into());
    }
    if draft.users.len() > MAX_USERS {
        return Err(ApiError::validation(Field::Users, Rule::TooMany).into());
    }
    let today = dutch_time::today(&mut *conn).await?;
    let mut users = Vec::with_capacity(draft.users.len());
    let mut emails = HashSet::with_capacity(draft.users.len());
    let mut mobiles = HashSet::with_capacity(draft.users.len());
    for (i, user) in draft.users.iter().enumerate() {
        if let Some(p) = new_user::check(user, today).into_iter().next() {
            return Err(ApiError::in_row(i, p.field, p.code).into());
        }
        let valid = new_user::normalized(user, today)
            // `check` found nothing, so this cannot fail.
            .ok_or(ApiError::Internal)?;
        if !emails.insert(valid.email.as_str().to_string()) {
            return Err(ApiError::in_row(i, Field::Email, Rule::DuplicateInFile).into());
        }
        if !mobiles.insert(valid.mobile.as_str().to_string()) {
            return Err(ApiError::in_row(i, Field::Mobile, Rule::DuplicateInFile).into());
        }
        users.push(valid);
    }
    let all_emails: Vec<String> = users.iter().map(|u| u.email.as_str().to_string()).collect();
    let members = members_among(conn, org, &all_emails).await?;
    if let Some(i) = users
        .iter()
        .position(|u| members.contains(u.email.as_str()))
    {
        return Err(ApiError::in_row(i, Field::Email, Rule::AlreadyMember).into());
    }

    let services = if draft.with_authorizations && !draft.all_services {
        if draft.services.is_empty() {
            return Err(ApiError::validation(Field::Services, Rule::Required).into());
        }
        let mut ids = Vec::with_capacity(draft.services.len());
        for s in &draft.services {
            let id = Uuid::parse_str(s)
                .map_err(|_| ApiError::validation(Field::Services, Rule::Unknown))?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        catalog::check_usable(&mut *conn, &ids, level).await?;
        ids
    } else {
        Vec::new()
    };
    let validity = Validity::parse(draft.validity_years)
        .map_err(|_| ApiError::validation(Field::Validity, Rule::Invalid))?;
    if !agreed {
        return Err(ApiError::validation(Field::Terms, Rule::NotAgreed).into());
    }
    let current: i32 = sqlx::query_scalar("SELECT max(version) FROM terms")
        .fetch_one(&mut *conn)
        .await?;
    if terms_version != current {
        return Err(ApiError::validation(Field::Terms, Rule::Outdated).into());
    }
    let per_user = draft.authorizations_per_user();
    let prices = catalog::price_list(conn).await?;
    let quote = tariff::quote(&prices, level, validity, users.len() as u32, per_user)
        .map_err(ServiceError::internal)?;
    Ok(Checked {
        org,
        org_name,
        level,
        branch,
        users,
        services,
        validity,
        quote,
    })
}

/// "Akkoord": creates the application, per user an account without credentials, a
/// membership, pending authorizations, an invitation with a personal link and its e-mail, all
/// in one transaction. A retry with the same submission key returns the first application.
pub async fn submit(
    state: &AppState,
    caller: &SessionUser,
    draft: &Draft,
    terms_version: i32,
    agreed: bool,
) -> ServiceResult<String> {
    caller.require_manager()?;
    let started = std::time::Instant::now();
    let key = Uuid::parse_str(&draft.submission_key).map_err(|_| ApiError::BadRequest)?;
    let mut tx = state.pool.begin().await?;
    // One submission per manager at a time, so a double click or a retry after a timeout
    // finds the first application instead of racing it.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))")
        .bind(caller.user_id)
        .execute(&mut *tx)
        .await?;
    let earlier: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM applications WHERE submitted_by = $1 AND idempotency_key = $2",
    )
    .bind(caller.user_id)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(first) = earlier {
        tx.rollback().await?;
        return Ok(first.to_string());
    }
    let c = check_draft(&mut tx, caller, draft, terms_version, agreed).await?;
    let application: Uuid = sqlx::query_scalar(
        "INSERT INTO applications (org_id, level, branch_id, all_services, with_authorizations,
             validity_years, subtotal_cents, vat_cents, total_cents, terms_version, submitted_by,
             idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         RETURNING id",
    )
    .bind(c.org)
    .bind(c.level.as_str())
    .bind(c.branch)
    .bind(draft.all_services && draft.with_authorizations)
    .bind(draft.with_authorizations)
    .bind(i32::from(c.validity.years()))
    .bind(c.quote.subtotal_cents)
    .bind(c.quote.vat_cents)
    .bind(c.quote.total_cents)
    .bind(terms_version)
    .bind(caller.user_id)
    .bind(key)
    .fetch_one(&mut *tx)
    .await?;

    let n = c.users.len();
    let user_ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
    let applicant_ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
    sqlx::query(
        "INSERT INTO users (id, first_name, infix, last_name, email, mobile, date_of_birth, level, language, status)
         SELECT id, f, i, l, e, m, d::date, $8, lang, 'pending'
         FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $9::text[]) AS t(id, f, i, l, e, m, d, lang)",
    )
    .bind(&user_ids)
    .bind(c.users.iter().map(|u| u.first_name.clone()).collect::<Vec<_>>())
    .bind(c.users.iter().map(|u| u.infix.clone()).collect::<Vec<_>>())
    .bind(c.users.iter().map(|u| u.last_name.clone()).collect::<Vec<_>>())
    .bind(c.users.iter().map(|u| u.email.as_str().to_string()).collect::<Vec<_>>())
    .bind(c.users.iter().map(|u| u.mobile.as_str().to_string()).collect::<Vec<_>>())
    .bind(c.users.iter().map(|u| u.date_of_birth.to_iso()).collect::<Vec<_>>())
    .bind(c.level.as_str())
    .bind(c.users.iter().map(|u| u.language.as_str()).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO memberships (user_id, org_id, employed)
         SELECT u, $2, e FROM UNNEST($1::uuid[], $3::bool[]) AS t(u, e)",
    )
    .bind(&user_ids)
    .bind(c.org)
    .bind(c.users.iter().map(|u| u.employed).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    if draft.with_authorizations {
        // Pending until issued; the validity period starts again when the means is issued.
        sqlx::query(
            "INSERT INTO authorizations (user_id, org_id, kind, service_uuid, level, branch_id,
                                         valid_from, valid_until, state)
             SELECT u, $2, CASE WHEN s IS NULL THEN 'all_services' ELSE 'service' END, s, $3, $4,
                    now(), now() + make_interval(years => $5), 'pending'
             FROM UNNEST($1::uuid[]) AS u
             CROSS JOIN (SELECT unnest($6::uuid[]) AS s
                         UNION ALL SELECT NULL WHERE cardinality($6::uuid[]) = 0) AS services",
        )
        .bind(&user_ids)
        .bind(c.org)
        .bind(c.level.as_str())
        .bind(c.branch)
        .bind(i32::from(c.validity.years()))
        .bind(&c.services)
        .execute(&mut *tx)
        .await?;
    }
    // "Ook beheerder worden": the manager's right, free, at the level of the user's means, pending
    // like the login authorization it runs with and issued with it.
    let managers: Vec<Uuid> = c
        .users
        .iter()
        .zip(&user_ids)
        .filter(|(u, _)| draft.becomes_manager(u.email.as_str()))
        .map(|(_, id)| *id)
        .collect();
    sqlx::query(
        "INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         SELECT u, $2, 'admin', $3, now(), now() + make_interval(years => $4), 'pending'
           FROM UNNEST($1::uuid[]) AS u",
    )
    .bind(&managers)
    .bind(c.org)
    .bind(c.level.as_str())
    .bind(i32::from(c.validity.years()))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO application_services (application_id, service_uuid)
         SELECT $1, unnest($2::uuid[])",
    )
    .bind(application)
    .bind(&c.services)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO application_users (id, application_id, user_id)
         SELECT a, $2, u FROM UNNEST($1::uuid[], $3::uuid[]) AS t(a, u)",
    )
    .bind(&applicant_ids)
    .bind(application)
    .bind(&user_ids)
    .execute(&mut *tx)
    .await?;
    let links: Vec<String> = (0..n).map(|_| tokens::new_token()).collect();
    invite(
        &mut tx,
        &state.settings.public_url,
        &c.org_name,
        &applicant_ids,
        &links,
        &c.users
            .iter()
            .map(|u| {
                (
                    u.email.as_str().to_string(),
                    u.first_name.clone(),
                    u.language.as_str().to_string(),
                )
            })
            .collect::<Vec<_>>(),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(caller.user_id),
        audit::Action::ApplicationSubmitted,
        Some(c.org),
        serde_json::json!({
            "application_id": application,
            "users": n,
            "managers": managers.len(),
            "level": c.level.as_str(),
            "validity_years": c.validity.years(),
            "total_cents": c.quote.total_cents,
        }),
    )
    .await?;
    sqlx::query("DELETE FROM wizard_drafts WHERE manager_id = $1")
        .bind(caller.user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        users = n,
        ms = started.elapsed().as_millis() as u64,
        "application submitted"
    );
    Ok(application.to_string())
}

/// Writes an invitation per applicant (the token hashed) and its e-mail to the outbox.
/// `recipients[i]` is (e-mail, first name, language) of `applicants[i]`.
pub async fn invite(
    conn: &mut PgConnection,
    public_url: &str,
    org_name: &str,
    applicants: &[Uuid],
    links: &[String],
    recipients: &[(String, String, String)],
) -> ServiceResult<()> {
    let hashes: Vec<Vec<u8>> = links.iter().map(|t| tokens::hash_token(t)).collect();
    sqlx::query(
        "INSERT INTO invitations (application_user_id, token_hash, expires_at)
         SELECT a, h, now() + make_interval(days => $3)
         FROM UNNEST($1::uuid[], $2::bytea[]) AS t(a, h)",
    )
    .bind(applicants)
    .bind(&hashes)
    .bind(INVITATION_DAYS as i32)
    .execute(&mut *conn)
    .await?;
    let mut subjects = Vec::with_capacity(links.len());
    let mut bodies = Vec::with_capacity(links.len());
    for (token, (_, first_name, language)) in links.iter().zip(recipients) {
        let link = format!("{public_url}/uitnodiging/{token}");
        let (subject, body) = outbox::messages::invitation_email(
            language,
            first_name,
            org_name,
            &link,
            INVITATION_DAYS,
        );
        subjects.push(crate::domain::text::tidy(&subject));
        bodies.push(outbox::email_body(&body));
    }
    // The links are secrets: their bodies are erased once delivered in production.
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body, sensitive)
         SELECT 'email', r, s, b, true FROM UNNEST($1::text[], $2::text[], $3::text[]) AS t(r, s, b)",
    )
    .bind(recipients.iter().map(|r| r.0.clone()).collect::<Vec<_>>())
    .bind(&subjects)
    .bind(&bodies)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
