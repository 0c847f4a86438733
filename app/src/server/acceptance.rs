//! The new user's acceptance, from the personal link: check the details, confirm the mobile
//! number with an SMS code, choose a username and password, order. Each call is one
//! transaction on the applicant's locked row, so a double tap or two open tabs cannot skip or
//! repeat a step. Only a live link of an applicant still in `invited` opens; expired, used,
//! revoked and unknown links all answer `NotFound`.

use super::error::{ServiceError, ServiceResult};
use super::state::AppState;
use super::{account, audit, catalog, issuing, outbox, passwords, tokens, verification};
use crate::api::acceptance::{CodeSent, Invitation, Ordered};
use crate::api::ApiError;
use crate::domain::acceptance::{code_rules, Event, Progress, Step};
use crate::domain::codes::{Field, Rule};
use crate::domain::new_user::full_name;
use crate::domain::otp::OneTimeCode;
use crate::domain::password;
use crate::domain::phone::MobileNumber;
use crate::domain::username::Username;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// A live invitation link and its applicant's progress.
struct Link {
    invitation_id: Uuid,
    applicant_id: Uuid,
    user_id: Uuid,
    progress: Progress,
}

impl Link {
    /// Audits a step taken on this link: by the link's user, naming the applicant.
    async fn audit(
        &self,
        conn: &mut PgConnection,
        action: audit::Action,
        mut details: serde_json::Value,
    ) -> Result<(), sqlx::Error> {
        details["applicant_id"] = serde_json::json!(self.applicant_id);
        audit::record(conn, Some(self.user_id), action, None, details).await
    }
}

async fn lock(conn: &mut PgConnection, token: &str) -> ServiceResult<Link> {
    let row = sqlx::query(
        "SELECT i.id AS invitation_id, au.id AS applicant_id, au.user_id,
                au.confirmed_at IS NOT NULL AS confirmed,
                au.mobile_verified_at IS NOT NULL AS mobile_verified,
                au.credentials_set_at IS NOT NULL AS credentials_set,
                EXISTS (SELECT 1 FROM acceptance_codes c
                         WHERE c.invitation_id = i.id AND c.used_at IS NULL
                           AND c.expires_at > now() AND c.attempts < $2) AS code_live
           FROM invitations i JOIN application_users au ON au.id = i.application_user_id
          WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL
            AND i.expires_at > now() AND au.status = 'invited'
          FOR UPDATE OF au",
    )
    .bind(tokens::hash_token(token.trim()))
    .bind(code_rules::MAX_ATTEMPTS)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Err(ApiError::NotFound.into());
    };
    Ok(Link {
        invitation_id: r.get("invitation_id"),
        applicant_id: r.get("applicant_id"),
        user_id: r.get("user_id"),
        progress: Progress {
            confirmed: r.get("confirmed"),
            mobile_verified: r.get("mobile_verified"),
            code_live: r.get("code_live"),
            credentials_set: r.get("credentials_set"),
        },
    })
}

/// (codes sent for this link, seconds since the last one)
async fn codes_sent(
    conn: &mut PgConnection,
    invitation: Uuid,
) -> ServiceResult<(i64, Option<i64>)> {
    let r = sqlx::query(
        "SELECT count(*) AS n,
                floor(extract(epoch FROM now() - max(created_at)))::int8 AS ago
           FROM acceptance_codes WHERE invitation_id = $1",
    )
    .bind(invitation)
    .fetch_one(&mut *conn)
    .await?;
    Ok((r.get("n"), r.get("ago")))
}

async fn view(conn: &mut PgConnection, link: &Link) -> ServiceResult<Invitation> {
    let r = sqlx::query(
        "SELECT u.first_name, u.infix, u.last_name, u.email, u.mobile, u.username,
                to_char(u.date_of_birth, 'DD-MM-YYYY') AS dob,
                a.id AS application_id, a.level, a.with_authorizations, a.all_services,
                a.validity_years, o.name AS organization, o.kvk_number, m.employed,
                (SELECT b.branch_number || ' ' || b.name FROM branches b WHERE b.id = a.branch_id) AS branch
           FROM application_users au
           JOIN applications a ON a.id = au.application_id
           JOIN organizations o ON o.id = a.org_id
           JOIN users u ON u.id = au.user_id
           JOIN memberships m ON m.user_id = u.id AND m.org_id = a.org_id
          WHERE au.id = $1",
    )
    .bind(link.applicant_id)
    .fetch_one(&mut *conn)
    .await?;
    let services =
        catalog::application_service_names(&mut *conn, r.get::<Uuid, _>("application_id")).await?;
    let mobile = MobileNumber::parse(r.get("mobile")).map_err(ServiceError::internal)?;
    let step = link.progress.step();
    let code = if step == Step::Code {
        let (sent, ago) = codes_sent(conn, link.invitation_id).await?;
        Some(CodeSent {
            sent_to: mobile.masked(),
            resend_in_secs: match code_rules::may_send(sent, ago) {
                Err(code_rules::Refusal::Wait(secs)) => secs,
                _ => 0,
            },
            resends_left: code_rules::resends_left(sent),
        })
    } else {
        None
    };
    Ok(Invitation {
        step,
        first_name: r.get("first_name"),
        name: full_name(r.get("first_name"), r.get("infix"), r.get("last_name")),
        email: r.get("email"),
        mobile: mobile.as_str().to_string(),
        date_of_birth: r.get("dob"),
        organization: r.get("organization"),
        kvk: r.get("kvk_number"),
        branch: r.get("branch"),
        level: r.get("level"),
        employed: r.get("employed"),
        with_authorizations: r.get("with_authorizations"),
        all_services: r.get("all_services"),
        services,
        validity_years: r.get("validity_years"),
        username: r.get("username"),
        code,
    })
}

pub async fn open(state: &AppState, token: &str) -> ServiceResult<Invitation> {
    let mut tx = state.pool.begin().await?;
    let link = lock(&mut tx, token).await?;
    let invitation = view(&mut tx, &link).await?;
    tx.commit().await?;
    Ok(invitation)
}

/// The blue button: the details are right.
pub async fn confirm(state: &AppState, token: &str) -> ServiceResult<Invitation> {
    let mut tx = state.pool.begin().await?;
    let mut link = lock(&mut tx, token).await?;
    if !link.progress.confirmed {
        sqlx::query(
            "UPDATE application_users SET confirmed_at = now(), updated_at = now() WHERE id = $1",
        )
        .bind(link.applicant_id)
        .execute(&mut *tx)
        .await?;
        link.audit(
            &mut tx,
            audit::Action::AcceptanceDetailsConfirmed,
            serde_json::json!({}),
        )
        .await?;
        link.progress.confirmed = true;
    }
    let invitation = view(&mut tx, &link).await?;
    tx.commit().await?;
    Ok(invitation)
}

/// "Volgende" on the mobile step, or "new code": sends a fresh code to the number the manager
/// entered. Earlier codes of this link stop working.
pub async fn send_code(state: &AppState, token: &str) -> ServiceResult<Invitation> {
    let mut tx = state.pool.begin().await?;
    let mut link = lock(&mut tx, token).await?;
    if !link.progress.confirmed || link.progress.mobile_verified {
        // Nothing to send in this step; show where the user is.
        let invitation = view(&mut tx, &link).await?;
        tx.commit().await?;
        return Ok(invitation);
    }
    let (sent, ago) = codes_sent(&mut tx, link.invitation_id).await?;
    match code_rules::may_send(sent, ago) {
        Ok(()) => {}
        Err(code_rules::Refusal::Wait(secs)) => {
            return Err(ApiError::TooManyAttempts {
                retry_after_secs: secs,
            }
            .into())
        }
        Err(code_rules::Refusal::NoMoreCodes) => {
            return Err(ApiError::validation(Field::Code, Rule::NoMoreCodes).into())
        }
    }
    sqlx::query(
        "UPDATE acceptance_codes SET used_at = now() WHERE invitation_id = $1 AND used_at IS NULL",
    )
    .bind(link.invitation_id)
    .execute(&mut *tx)
    .await?;
    let id = Uuid::new_v4();
    let code = tokens::new_code();
    sqlx::query(
        "INSERT INTO acceptance_codes (id, invitation_id, code_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(mins => $4))",
    )
    .bind(id)
    .bind(link.invitation_id)
    .bind(tokens::hash_code(id.as_bytes(), &code))
    .bind(code_rules::VALID_MINUTES as i32)
    .execute(&mut *tx)
    .await?;
    let (mobile, language): (String, String) =
        sqlx::query_as("SELECT mobile, language FROM users WHERE id = $1")
            .bind(link.user_id)
            .fetch_one(&mut *tx)
            .await?;
    let text = outbox::messages::acceptance_code_text(&language, &code, &state.settings.public_url);
    outbox::enqueue_sms(&mut tx, &mobile, &text, outbox::Content::OneTimeCode).await?;
    link.audit(
        &mut tx,
        audit::Action::AcceptanceCodeSent,
        serde_json::json!({ "codes": sent + 1 }),
    )
    .await?;
    link.progress.code_live = true;
    let invitation = view(&mut tx, &link).await?;
    tx.commit().await?;
    Ok(invitation)
}

pub async fn verify_code(state: &AppState, token: &str, code: &str) -> ServiceResult<Invitation> {
    let code =
        OneTimeCode::parse(code).map_err(|_| ApiError::validation(Field::Code, Rule::Format))?;
    let mut tx = state.pool.begin().await?;
    let mut link = lock(&mut tx, token).await?;
    if link.progress.mobile_verified {
        let invitation = view(&mut tx, &link).await?;
        tx.commit().await?;
        return Ok(invitation);
    }
    let row = sqlx::query(
        "SELECT id, code_hash, attempts FROM acceptance_codes
          WHERE invitation_id = $1 AND used_at IS NULL AND expires_at > now() AND attempts < $2
          ORDER BY created_at DESC LIMIT 1
          FOR UPDATE",
    )
    .bind(link.invitation_id)
    .bind(code_rules::MAX_ATTEMPTS)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(ApiError::CodeExpired.into());
    };
    let id: Uuid = row.get("id");
    let expected: Vec<u8> = row.get("code_hash");
    if !tokens::same_hash(&expected, &tokens::hash_code(id.as_bytes(), code.as_str())) {
        let attempts: i32 = row.get::<i32, _>("attempts") + 1;
        sqlx::query("UPDATE acceptance_codes SET attempts = $2 WHERE id = $1")
            .bind(id)
            .bind(attempts)
            .execute(&mut *tx)
            .await?;
        link.audit(
            &mut tx,
            audit::Action::AcceptanceCodeWrong,
            serde_json::json!({ "attempts": attempts }),
        )
        .await?;
        // The failed try counts although the use case fails.
        tx.commit().await?;
        return Err(ApiError::InvalidCode {
            attempts_left: (code_rules::MAX_ATTEMPTS - attempts).max(0) as u32,
        }
        .into());
    }
    sqlx::query("UPDATE acceptance_codes SET used_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE application_users SET mobile_verified_at = now(), updated_at = now() WHERE id = $1",
    )
    .bind(link.applicant_id)
    .execute(&mut *tx)
    .await?;
    link.audit(
        &mut tx,
        audit::Action::AcceptanceMobileVerified,
        serde_json::json!({}),
    )
    .await?;
    link.progress.mobile_verified = true;
    let invitation = view(&mut tx, &link).await?;
    tx.commit().await?;
    Ok(invitation)
}

/// The username and password of the new login means; the account stays unusable until issued.
pub async fn choose_credentials(
    state: &AppState,
    token: &str,
    username: &str,
    password: String,
) -> ServiceResult<Invitation> {
    let username = Username::parse(username)
        .map_err(|_| ApiError::validation(Field::Username, Rule::Invalid))?;
    if let Some(rule) = password::check(&password, username.as_str()).first_failure() {
        return Err(ApiError::validation(Field::Password, rule.into()).into());
    }
    let mut tx = state.pool.begin().await?;
    let mut link = lock(&mut tx, token).await?;
    if !link.progress.mobile_verified {
        return Err(ApiError::BadRequest.into());
    }
    let taken: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE username = $1 AND id <> $2)")
            .bind(username.as_str())
            .bind(link.user_id)
            .fetch_one(&mut *tx)
            .await?;
    if taken {
        return Err(ApiError::validation(Field::Username, Rule::Taken).into());
    }
    let hash = passwords::hash(password).await?;
    let updated = sqlx::query("UPDATE users SET username = $2, password_hash = $3 WHERE id = $1")
        .bind(link.user_id)
        .bind(username.as_str())
        .bind(&hash)
        .execute(&mut *tx)
        .await;
    match updated {
        Ok(_) => {}
        // Someone took the name between the check and the update.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(ApiError::validation(Field::Username, Rule::Taken).into())
        }
        Err(e) => return Err(e.into()),
    }
    account::remember_password(&mut tx, link.user_id, &hash).await?;
    sqlx::query(
        "UPDATE application_users SET credentials_set_at = now(), updated_at = now() WHERE id = $1",
    )
    .bind(link.applicant_id)
    .execute(&mut *tx)
    .await?;
    link.audit(
        &mut tx,
        audit::Action::AcceptanceCredentialsChosen,
        serde_json::json!({}),
    )
    .await?;
    link.progress.credentials_set = true;
    let invitation = view(&mut tx, &link).await?;
    tx.commit().await?;
    Ok(invitation)
}

/// "Bestel": the link is used up; employed users get their means at once, others are sent to
/// the identity verification.
pub async fn order(state: &AppState, token: &str) -> ServiceResult<Ordered> {
    let mut tx = state.pool.begin().await?;
    let link = lock(&mut tx, token).await?;
    if link.progress.step() != Step::Summary {
        return Err(ApiError::BadRequest.into());
    }
    sqlx::query("UPDATE invitations SET used_at = now() WHERE id = $1")
        .bind(link.invitation_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE application_users SET ordered_at = now() WHERE id = $1")
        .bind(link.applicant_id)
        .execute(&mut *tx)
        .await?;
    let mut a = issuing::lock(&mut tx, link.applicant_id)
        .await?
        .ok_or_else(|| ServiceError::internal("applicant vanished"))?;
    issuing::transition(&mut tx, &mut a, Event::Order).await?;
    audit::record(
        &mut tx,
        Some(a.user_id),
        audit::Action::AcceptanceOrdered,
        Some(a.org_id),
        serde_json::json!({ "applicant_id": a.id }),
    )
    .await?;
    if a.employed {
        let actor = Some(a.user_id);
        issuing::issue(&mut tx, &state.settings.public_url, &mut a, actor).await?;
        tx.commit().await?;
        return Ok(Ordered::Issued {
            username: a.username.clone().unwrap_or_default(),
        });
    }
    // Not employed: the order commits first; the partner is asked after it, outside the
    // transaction (see `verification`). If it does not answer in time, the job asks again and
    // the link comes by e-mail.
    verification::schedule(&mut tx, a.id).await?;
    tx.commit().await?;
    // The order stands whatever happens now; a failure here is the job's to retry.
    let asked = verification::request(state, a.id, verification::INLINE_WAIT)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(applicant_id = %a.id, error = %e, "verification request after the order");
            None
        });
    Ok(match asked {
        Some((url, deadline)) => Ordered::IdentityVerification { url, deadline },
        None => Ordered::VerificationRequested,
    })
}
