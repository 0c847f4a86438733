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
    // On generic plans: planning took longer than running (`plans::generic_plans`).
    let mut tx = super::plans::generic_plans(pool).await?;
    let words = super::search::words(&mut *tx, search).await?;
    let searching = !words.is_empty();
    // A search reads the users its first word matches, in name order (`user_words`).
    let (from, order) = if searching {
        let by_word = super::search::users_by_first_word(&words, 3);
        (
            format!("{by_word} JOIN users u ON u.id = s.user_id"),
            "s.sort_key, s.user_id",
        )
    } else {
        ("users u".to_string(), "u.sort_key, u.id")
    };
    // One statement per shape (search or not, first page or not), so each prepared statement's
    // generic plan fits it, instead of one plan full of `$n IS NULL OR ...`.
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
         FROM {from}
         WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.org_id = ANY($1))
           {search}
           {after}
         ORDER BY {order}
         LIMIT $2",
        search = if searching { "AND user_matches(u, $3)" } else { "" },
        after = match (after.is_some(), searching) {
            (false, _) => String::new(),
            (true, true) => format!("AND ({order}) > ($4, $5)"),
            (true, false) => format!("AND ({order}) > ($3, $4)"),
        },
    );
    let mut query = sqlx::query(&sql)
        .bind(&caller.managed_orgs)
        .bind(PAGE_SIZE as i64 + 1);
    if searching {
        query = query.bind(&words);
    }
    if let Some((sort_key, id)) = after {
        query = query.bind(sort_key).bind(id);
    }
    let rows = query.fetch_all(&mut *tx).await?;
    tx.commit().await?;
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
