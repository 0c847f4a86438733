//! Expiry, unattended: a scheduled run ends the authorizations whose end date passed, sends the
//! notices for those ending within two months (each once per validity period: a renewal's new
//! end date starts a new one) and reminds invitees whose invitation lapses within five days.
//! Users get one mail per organization; every manager gets one digest per run.
//!
//! A run is one transaction under an advisory lock: with several server processes one runs and
//! the others skip (the lock is taken with `try`), a run killed half-way leaves nothing behind
//! and the next one does it all, and a second run the same day finds nothing to send. The clock
//! is a parameter, so tests move it.

use super::{machine, managers};
use crate::domain::authorization::Kind;
use crate::domain::date::{Date, Moment};
use crate::domain::new_user::full_name;
use crate::server::audit;
use crate::server::error::ServiceResult;
use crate::server::outbox::notices::{self, Ask, Item, Lapsing};
use crate::server::outbox::{self, Mail};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeMap;
use uuid::Uuid;

/// How long before its end date an authorization's notice goes out.
pub const NOTICE_MONTHS: i32 = 2;
/// How long before an unaccepted invitation lapses its reminder goes out.
pub const INVITATION_REMINDER_DAYS: i32 = 5;
/// The advisory lock one run holds ("Machtig" and 1).
const RUN_LOCK: i64 = 0x4d61_6368_7469_6701;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub expired: u64,
    pub noticed: u64,
    pub invitations_reminded: u64,
    pub mails: u64,
    /// Another process held the run: this one did nothing.
    pub skipped: bool,
}

#[derive(sqlx::FromRow)]
struct Line {
    org_id: Uuid,
    user_id: Uuid,
    organization: String,
    kind: String,
    service: Option<String>,
    level: String,
    first_name: String,
    infix: String,
    last_name: String,
    email: String,
    language: String,
    user_active: bool,
    /// The last day it is (or was) valid.
    ends: Date,
    expired: bool,
}

impl Line {
    fn item<'a>(&'a self, user_name: &'a str) -> Item<'a> {
        Item {
            organization: &self.organization,
            user_name,
            service: self.service.as_deref(),
            is_admin: Kind::parse(&self.kind) == Some(Kind::Admin),
            level: &self.level,
            ends: self.ends,
        }
    }
}

#[derive(sqlx::FromRow)]
struct Invitee {
    organization: String,
    first_name: String,
    infix: String,
    last_name: String,
    email: String,
    language: String,
    expires: Moment,
    manager_id: Uuid,
    manager_first_name: String,
    manager_email: String,
    manager_language: String,
}

/// A manager's digest as it fills up.
struct Digest<'a> {
    first_name: &'a str,
    email: &'a str,
    language: &'a str,
    soon: Vec<Item<'a>>,
    expired: Vec<Item<'a>>,
    lapsing: Vec<Lapsing<'a>>,
}

/// One run at `now`.
pub async fn run(pool: &PgPool, public_url: &str, now: DateTime<Utc>) -> ServiceResult<Report> {
    let mut tx = pool.begin().await?;
    let ours: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(RUN_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !ours {
        return Ok(Report {
            skipped: true,
            ..Report::default()
        });
    }
    let expired = machine::expire_ended(&mut tx, now).await?;
    // Notices for end dates that passed can never be due again. A notice already sent for this
    // end date is a conflict on the key, so only the new ones are inserted and returned.
    sqlx::query("DELETE FROM authorization_notices WHERE valid_until <= $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let noticed: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO authorization_notices (authorization_id, valid_until)
         SELECT z.id, z.valid_until FROM authorizations z
          WHERE z.state = 'active' AND z.valid_until > $1
            AND z.valid_until <= $1 + make_interval(months => $2)
         ON CONFLICT DO NOTHING
         RETURNING authorization_id",
    )
    .bind(now)
    .bind(NOTICE_MONTHS)
    .fetch_all(&mut *tx)
    .await?;
    let reminded: Vec<Uuid> = sqlx::query_scalar(
        "UPDATE invitations i SET reminded_at = $1
           FROM application_users au
          WHERE au.id = i.application_user_id AND au.status = 'invited'
            AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.reminded_at IS NULL
            AND i.expires_at > $1 AND i.expires_at <= $1 + make_interval(days => $2)
          RETURNING i.id",
    )
    .bind(now)
    .bind(INVITATION_REMINDER_DAYS)
    .fetch_all(&mut *tx)
    .await?;
    let mut report = Report {
        expired: expired.len() as u64,
        noticed: noticed.len() as u64,
        invitations_reminded: reminded.len() as u64,
        ..Report::default()
    };
    if expired.is_empty() && noticed.is_empty() && reminded.is_empty() {
        tx.commit().await?;
        return Ok(report);
    }

    let lines = lines(&mut tx, &expired, &noticed).await?;
    let invitees = invitees(&mut tx, &reminded).await?;
    let mut orgs: Vec<Uuid> = lines.iter().map(|l| l.org_id).collect();
    orgs.sort();
    orgs.dedup();
    let managers = managers::of_orgs(&mut tx, &orgs).await?;
    let names: Vec<String> = lines
        .iter()
        .map(|l| full_name(&l.first_name, &l.infix, &l.last_name))
        .collect();
    let invitee_names: Vec<String> = invitees
        .iter()
        .map(|i| full_name(&i.first_name, &i.infix, &i.last_name))
        .collect();

    let mut mails = Vec::new();
    // Users: one notice per organization, for the ones ending soon.
    let mut per_user: BTreeMap<(Uuid, Uuid), Vec<usize>> = BTreeMap::new();
    for (n, l) in lines.iter().enumerate() {
        if !l.expired && l.user_active {
            per_user.entry((l.user_id, l.org_id)).or_default().push(n);
        }
    }
    for ((user, org), ns) in &per_user {
        let first = &lines[ns[0]];
        let theirs: Vec<&managers::OrgManager> =
            managers.iter().filter(|m| m.org_id == *org).collect();
        let ask = if theirs.iter().any(|m| m.id == *user) {
            Ask::Portal(format!("{public_url}/beheer/machtigingen"))
        } else if theirs.is_empty() {
            Ask::Nobody
        } else {
            let to: Vec<&str> = theirs.iter().map(|m| m.email.as_str()).collect();
            Ask::Managers(notices::mailto(
                &to,
                &notices::renewal_request_subject(&first.language, &first.organization),
            ))
        };
        let items: Vec<Item> = ns.iter().map(|&n| lines[n].item(&names[n])).collect();
        let (subject, body) = notices::ending_soon_email(
            &first.language,
            &first.first_name,
            &first.organization,
            &items,
            &ask,
        );
        mails.push(Mail {
            to: first.email.clone(),
            subject,
            body,
        });
    }
    // Managers: one digest each.
    let mut digests: BTreeMap<Uuid, Digest> = BTreeMap::new();
    for (n, l) in lines.iter().enumerate() {
        for m in managers.iter().filter(|m| m.org_id == l.org_id) {
            let d = entry(&mut digests, m.id, &m.first_name, &m.email, &m.language);
            let item = l.item(&names[n]);
            if l.expired {
                d.expired.push(item);
            } else {
                d.soon.push(item);
            }
        }
    }
    for (n, i) in invitees.iter().enumerate() {
        let (subject, body) = notices::invitation_reminder_email(
            &i.language,
            &i.first_name,
            &i.organization,
            i.expires,
        );
        mails.push(Mail {
            to: i.email.clone(),
            subject,
            body,
        });
        let d = entry(
            &mut digests,
            i.manager_id,
            &i.manager_first_name,
            &i.manager_email,
            &i.manager_language,
        );
        d.lapsing.push(Lapsing {
            organization: &i.organization,
            user_name: &invitee_names[n],
            expires: i.expires,
        });
    }
    for d in digests.values() {
        let (subject, body) = notices::manager_digest_email(
            d.language,
            d.first_name,
            &d.soon,
            &d.expired,
            &d.lapsing,
            public_url,
        );
        mails.push(Mail {
            to: d.email.to_string(),
            subject,
            body,
        });
    }
    outbox::enqueue_emails(&mut tx, &mails, outbox::Content::Plain).await?;
    report.mails = mails.len() as u64;
    audit::record(
        &mut tx,
        None,
        audit::Action::ExpiryRun,
        None,
        serde_json::json!({
            "at": now,
            "expired": report.expired,
            "noticed": report.noticed,
            "invitations_reminded": report.invitations_reminded,
            "mails": report.mails,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

fn entry<'d, 'a>(
    digests: &'d mut BTreeMap<Uuid, Digest<'a>>,
    id: Uuid,
    first_name: &'a str,
    email: &'a str,
    language: &'a str,
) -> &'d mut Digest<'a> {
    digests.entry(id).or_insert_with(|| Digest {
        first_name,
        email,
        language,
        soon: Vec::new(),
        expired: Vec::new(),
        lapsing: Vec::new(),
    })
}

/// The authorizations of this run, by organization and user.
async fn lines(
    conn: &mut PgConnection,
    expired: &[Uuid],
    noticed: &[Uuid],
) -> ServiceResult<Vec<Line>> {
    Ok(sqlx::query_as(
        "SELECT z.org_id, z.user_id, o.name AS organization, z.kind, z.level,
                (SELECT min(s.name) FROM services s WHERE s.service_uuid = z.service_uuid) AS service,
                u.first_name, u.infix, u.last_name, u.email, u.language,
                u.status = 'active' AS user_active,
                (z.valid_until AT TIME ZONE 'Europe/Amsterdam')::date AS ends,
                z.id = ANY($1) AS expired
           FROM authorizations z
           JOIN organizations o ON o.id = z.org_id
           JOIN users u ON u.id = z.user_id
          WHERE z.id = ANY($1) OR z.id = ANY($2)
          ORDER BY o.name, z.org_id, u.sort_key, z.user_id, z.valid_until, z.id",
    )
    .bind(expired)
    .bind(noticed)
    .fetch_all(conn)
    .await?)
}

/// The invitees of the invitations `ids`, with the manager who invited them.
async fn invitees(conn: &mut PgConnection, ids: &[Uuid]) -> ServiceResult<Vec<Invitee>> {
    Ok(sqlx::query_as(
        "SELECT o.name AS organization, u.first_name, u.infix, u.last_name, u.email,
                u.language,
                i.expires_at AT TIME ZONE 'Europe/Amsterdam' AS expires,
                m.id AS manager_id, m.first_name AS manager_first_name, m.email AS manager_email,
                m.language AS manager_language
           FROM invitations i
           JOIN application_users au ON au.id = i.application_user_id
           JOIN applications ap ON ap.id = au.application_id
           JOIN organizations o ON o.id = ap.org_id
           JOIN users u ON u.id = au.user_id
           JOIN users m ON m.id = ap.submitted_by
          WHERE i.id = ANY($1)
          ORDER BY o.name, u.sort_key, i.id",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?)
}
