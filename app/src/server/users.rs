//! The Gebruikers list: users linked to the organizations the caller manages, searched and
//! paged by keyset on (sort_key, id), so every page costs the same at 100,000 users.

use super::error::{ServiceError, ServiceResult};
use super::session::SessionUser;
use crate::api::users::{UserRow, UserState, UsersCursor, UsersPage, PAGE_SIZE};
use crate::api::ApiError;
use crate::domain::acceptance::Status;
use crate::domain::codes::{Field, Rule};
use crate::domain::new_user::full_name;
use sqlx::{PgPool, Row};

/// The LIKE pattern of a search: its words in the order typed, anything between them, so
/// "sara vermeulen" finds "Sara Vermeulen" (whose search text has an empty infix between the
/// names) and "Sara de Vermeulen". LIKE wildcards typed are escaped: "50%" looks for "50%".
pub(crate) fn like_pattern(search: &str) -> Option<String> {
    let words: Vec<String> = search
        .split_whitespace()
        .map(|w| {
            w.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("%{}%", words.join("%")))
}

pub async fn list(
    pool: &PgPool,
    caller: &SessionUser,
    search: &str,
    after: Option<&UsersCursor>,
) -> ServiceResult<UsersPage> {
    if !caller.is_manager() {
        return Err(ApiError::Forbidden.into());
    }
    if search.chars().count() > 100 {
        return Err(ApiError::validation(Field::Search, Rule::TooLong).into());
    }
    let after = match after {
        None => None,
        Some(c) => Some((
            c.sort_key.as_str(),
            uuid::Uuid::parse_str(&c.id).map_err(|_| ApiError::BadRequest)?,
        )),
    };
    let pattern = like_pattern(search);
    // One statement per shape (search or not, first page or not), so each prepared statement
    // gets a plan that fits it instead of one generic plan full of `$n IS NULL OR ...`.
    let sql =
        format!(
        "SELECT u.id, u.username, u.first_name, u.infix, u.last_name, u.email, u.level, u.sort_key,
                (SELECT string_agg(o.name, ', ' ORDER BY o.name)
                   FROM memberships m2 JOIN organizations o ON o.id = m2.org_id
                  WHERE m2.user_id = u.id AND m2.org_id = ANY($1)) AS organizations,
                u.status,
                (SELECT au.status FROM application_users au WHERE au.user_id = u.id
                  ORDER BY au.updated_at DESC, au.id LIMIT 1) AS application_status,
                (SELECT count(*) FROM authorizations z
                  WHERE z.user_id = u.id AND z.org_id = ANY($1)
                    AND z.state IN ('active', 'pending')) AS authorizations
         FROM users u
         WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.org_id = ANY($1))
           {search}
           {after}
         ORDER BY u.sort_key, u.id
         LIMIT $2",
        search = if pattern.is_some() { "AND u.search_text LIKE $3" } else { "" },
        after = match (after.is_some(), pattern.is_some()) {
            (false, _) => "",
            (true, true) => "AND (u.sort_key, u.id) > ($4, $5)",
            (true, false) => "AND (u.sort_key, u.id) > ($3, $4)",
        },
    );
    let mut query = sqlx::query(&sql)
        .bind(&caller.managed_orgs)
        .bind(PAGE_SIZE as i64 + 1);
    if let Some(p) = &pattern {
        query = query.bind(p);
    }
    if let Some((sort_key, id)) = after {
        query = query.bind(sort_key).bind(id);
    }
    let rows = query.fetch_all(pool).await?;
    let has_more = rows.len() > PAGE_SIZE;
    let rows: Vec<UserRow> = rows
        .into_iter()
        .take(PAGE_SIZE)
        .map(|r| {
            let name = full_name(r.get("first_name"), r.get("infix"), r.get("last_name"));
            let application: Option<String> = r.get("application_status");
            let state = match (
                r.get::<&str, _>("status"),
                application.as_deref().and_then(Status::parse),
            ) {
                ("active", _) => UserState::Active,
                ("blocked", _) => UserState::Blocked,
                (_, Some(status)) => UserState::Applying(status),
                (other, None) => {
                    return Err(ServiceError::internal(format!(
                        "user status {other} without an application"
                    )))
                }
            };
            Ok(UserRow {
                id: r.get::<uuid::Uuid, _>("id").to_string(),
                name,
                username: r.get("username"),
                email: r.get("email"),
                level: r.get("level"),
                organizations: r
                    .get::<Option<String>, _>("organizations")
                    .unwrap_or_default(),
                state,
                authorizations: r.get("authorizations"),
                sort_key: r.get("sort_key"),
            })
        })
        .collect::<ServiceResult<_>>()?;
    let next = if has_more {
        rows.last().map(|r| UsersCursor {
            sort_key: r.sort_key.clone(),
            id: r.id.clone(),
        })
    } else {
        None
    };
    Ok(UsersPage { rows, next })
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_wildcards_are_taken_literally() {
        assert_eq!(like_pattern("  50%_ "), Some("%50\\%\\_%".into()));
        assert_eq!(like_pattern("   "), None);
        assert_eq!(like_pattern("De  Vries"), Some("%de%vries%".into()));
    }
}
