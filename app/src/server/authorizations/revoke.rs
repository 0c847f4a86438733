//! The trash can: a manager revokes an authorization. It ends at once (the session check and
//! every list read the state), for good; the user and the organization's other managers are
//! told by e-mail.

use super::machine;
use super::managers::{self, OrgManager};
use crate::api::ApiError;
use crate::domain::authorization::{Event, Kind, State};
use crate::domain::codes::{Field, Rule};
use crate::domain::ids::AuthorizationId;
use crate::domain::new_user::full_name;
use crate::server::audit;
use crate::server::error::ServiceResult;
use crate::server::outbox::{self, messages};
use crate::server::session::Manager;
use crate::server::state::AppState;
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn revoke(
    state: &AppState,
    manager: &Manager,
    id: &AuthorizationId,
) -> ServiceResult<()> {
    let mut tx = state.pool.begin().await?;
    let mut z = machine::lock(&mut tx, manager, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let refuse = |rule| Err(ApiError::validation(Field::Authorization, rule).into());
    if z.level.0 > manager.level() {
        return refuse(Rule::AboveOwnLevel);
    }
    let is_admin = z.kind.0 == Kind::Admin;
    // Revoking the last active manager's right would leave nobody to manage the organization.
    if is_admin
        && z.state.0 == State::Active
        && other_managers(&mut tx, z.org_id, z.user_id)
            .await?
            .is_empty()
    {
        return refuse(Rule::LastManager);
    }
    if machine::apply(&mut tx, &mut z, Event::Revoke)
        .await?
        .is_none()
    {
        return refuse(Rule::AlreadyEnded);
    }

    let public_url = &state.settings.public_url;
    let what = messages::authorization_subject(&z.language, z.service.as_deref(), is_admin);
    let (subject, body) = messages::authorization_revoked_email(
        &z.language,
        &z.first_name,
        &z.organization,
        &what,
        public_url,
    );
    outbox::enqueue_email(&mut tx, &z.email, &subject, &body, outbox::Content::Plain).await?;
    let user_name = full_name(&z.first_name, &z.infix, &z.last_name);
    for colleague in other_managers(&mut tx, z.org_id, z.user_id).await? {
        if colleague.id == manager.user_id() {
            continue;
        }
        let what =
            messages::authorization_subject(&colleague.language, z.service.as_deref(), is_admin);
        let (subject, body) = messages::authorization_revoked_manager_email(
            &colleague.language,
            &colleague.first_name,
            &user_name,
            &z.organization,
            &what,
            public_url,
        );
        outbox::enqueue_email(
            &mut tx,
            &colleague.email,
            &subject,
            &body,
            outbox::Content::Plain,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        Some(manager.user_id()),
        audit::Action::AuthorizationRevoked,
        Some(z.org_id),
        serde_json::json!({ "authorization_id": z.id, "user_id": z.user_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The organization's managers other than `user`.
async fn other_managers(
    conn: &mut PgConnection,
    org: Uuid,
    user: Uuid,
) -> ServiceResult<Vec<OrgManager>> {
    let mut all = managers::of_orgs(conn, &[org]).await?;
    all.retain(|m| m.id != user);
    Ok(all)
}
