//! "Exporteren": the overview's filtered list as a CSV file a Dutch spreadsheet opens
//! (`domain::spreadsheet`: semicolons, UTF-8 with BOM, dd-mm-jjjj, formulas neutralised).
//! Streamed in batches read by keyset from one read-only snapshot, so a file of 100,000 rows
//! never sits in memory and holds one consistent moment.

use super::overview::{check, page_query, After, Row};
use crate::api::authorizations::AuthorizationFilter;
use crate::domain::authorization::State;
use crate::domain::spreadsheet::Sheet;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::outbox::messages::authorization_subject;
use crate::server::session::Manager;
use sqlx::PgPool;
use tokio::sync::mpsc;

const BATCH: usize = 2000;

/// Checks the filter, then starts writing; the file arrives in chunks on the receiver, and an
/// error ends it early (the download then fails instead of looking complete).
pub fn start(
    pool: PgPool,
    manager: Manager,
    filter: AuthorizationFilter,
    language: &str,
) -> ServiceResult<mpsc::Receiver<Result<String, ServiceError>>> {
    check(&filter)?; // a bad filter answers before anything is sent
    let (chunks, receiver) = mpsc::channel(4);
    let language = language.to_string();
    tokio::spawn(async move {
        if let Err(e) = write(&pool, &manager, &filter, &language, &chunks).await {
            tracing::error!(error = %e, "authorizations export failed");
            let _ = chunks.send(Err(e)).await;
        }
    });
    Ok(receiver)
}

async fn write(
    pool: &PgPool,
    manager: &Manager,
    filter: &AuthorizationFilter,
    language: &str,
    chunks: &mpsc::Sender<Result<String, ServiceError>>,
) -> ServiceResult<()> {
    let en = language == "en";
    let header: &[&str] = if en {
        &[
            "User",
            "E-mail",
            "Organization",
            "Service",
            "Manager",
            "Level",
            "Branch",
            "Valid from",
            "Valid until",
            "Status",
        ]
    } else {
        &[
            "Gebruiker",
            "E-mailadres",
            "Organisatie",
            "Dienst",
            "Beheerder",
            "Niveau",
            "Vestiging",
            "Geldig van",
            "Geldig tot",
            "Status",
        ]
    };
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let mut sheet = Sheet::new(header);
    let mut after: Option<After> = None;
    loop {
        let rows: Vec<Row> = page_query(manager, filter, after.as_ref(), BATCH as i64)?
            .build_query_as()
            .fetch_all(&mut *tx)
            .await?;
        let full = rows.len() == BATCH;
        after = rows.last().map(Row::after);
        for row in rows {
            let r = row.into_api()?;
            let what = authorization_subject(language, r.service.as_deref(), r.is_admin);
            let (yes, no) = if en { ("yes", "no") } else { ("ja", "nee") };
            sheet.row(&[
                r.user_name.as_str(),
                &r.user_email,
                &r.organization,
                &what,
                if r.is_admin { yes } else { no },
                r.level.as_str(),
                r.branch.as_deref().unwrap_or(""),
                // A Dutch spreadsheet reads dd-mm-jjjj as a date, whatever the page's language.
                &r.valid_from.to_dutch(),
                &r.valid_until.to_dutch(),
                state_word(r.state, en),
            ]);
        }
        if chunks.send(Ok(sheet.take())).await.is_err() {
            return Ok(()); // the browser went away
        }
        if !full {
            return Ok(());
        }
    }
}

fn state_word(state: State, en: bool) -> &'static str {
    match (state, en) {
        (State::Pending, false) => "in aanvraag",
        (State::Active, false) => "actief",
        (State::Expired, false) => "verlopen",
        (State::Revoked, false) => "ingetrokken",
        (State::Pending, true) => "pending",
        (State::Active, true) => "active",
        (State::Expired, true) => "expired",
        (State::Revoked, true) => "revoked",
    }
}
