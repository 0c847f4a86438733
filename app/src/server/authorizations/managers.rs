//! Who manages an organization today: the users with an active manager's right (an `admin`
//! authorization) in its validity period and an active account. They are told about changes
//! and outcomes in their organizations.

use crate::server::error::ServiceResult;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgManager {
    pub org_id: Uuid,
    pub id: Uuid,
    pub first_name: String,
    pub email: String,
    pub language: String,
}

/// The managers of each of `orgs`, ordered by organization and user.
pub async fn of_orgs(conn: &mut PgConnection, orgs: &[Uuid]) -> ServiceResult<Vec<OrgManager>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT z.org_id, u.id, u.first_name, u.email, u.language
           FROM authorizations z JOIN users u ON u.id = z.user_id
          WHERE z.org_id = ANY($1) AND z.kind = 'admin' AND z.state = 'active'
            AND z.valid_from <= now() AND z.valid_until > now() AND u.status = 'active'
          ORDER BY z.org_id, u.id",
    )
    .bind(orgs)
    .fetch_all(conn)
    .await?)
}
