//! "Exporteren": the overview's filtered list as a CSV file a Dutch spreadsheet opens
//! (`domain::spreadsheet`: semicolons, UTF-8 with BOM, dd-mm-jjjj, formulas neutralised).
//! Streamed in batches read by keyset from one read-only snapshot, so a file of 100,000 rows
//! never sits in memory and holds one consistent moment.

use super::overview::{check, page_query, After, Row};
use crate::api::authorizations::AuthorizationFilter;
use crate::domain::authorization::State;
use crate::domain::spreadsheet::Sheet;
use crate::server::error::ServiceResult;
use crate::server::outbox::messages::authorization_subject;
use crate::server::session::Manager;
use futures_util::StreamExt;
use sqlx::PgPool;
use tokio::sync::mpsc;

/// Rows per read. Larger batches plan and seek less often (a plan costs about 3 ms at 1,000,000
/// authorizations); 5,000 rows are about a megabyte, so memory stays flat.
const BATCH: usize = 5000;

/// The file's chunks, in order; an error ends it early (the download then fails instead of
/// looking complete).
pub type Chunks = futures_util::stream::BoxStream<'static, ServiceResult<String>>;

/// Checks the filter, then starts reading. Reading and writing overlap: a task reads the next
/// batch from PostgreSQL while the stream writes the previous one as CSV (on 2 cores the export
/// takes the longer of the two instead of their sum).
pub fn start(
    pool: PgPool,
    manager: Manager,
    filter: AuthorizationFilter,
    language: &str,
) -> ServiceResult<Chunks> {
    check(&filter)?; // a bad filter answers before anything is sent
    let (batches, receiver) = mpsc::channel(2);
    tokio::spawn(async move {
        if let Err(e) = read(&pool, &manager, &filter, &batches).await {
            tracing::error!(error = %e, "authorizations export failed");
            let _ = batches.send(Err(e)).await;
        }
    });
    let writer = Writer {
        sheet: Sheet::new(header(language == "en")),
        language: language.to_string(),
    };
    Ok(
        futures_util::stream::unfold(Some((receiver, writer)), |state| async move {
            let (mut receiver, mut writer) = state?;
            let chunk = receiver.recv().await?.and_then(|rows| writer.write(rows));
            let next = chunk.is_ok().then_some((receiver, writer)); // an error is the last chunk
            Some((chunk, next))
        })
        .boxed(),
    )
}

/// Sends the filtered rows in batches, read by keyset from one read-only snapshot; the first
/// batch is sent even when empty (the file then holds its header).
async fn read(
    pool: &PgPool,
    manager: &Manager,
    filter: &AuthorizationFilter,
    batches: &mpsc::Sender<ServiceResult<Vec<Row>>>,
) -> ServiceResult<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let words = crate::server::search::words(&mut *tx, &filter.user).await?;
    let mut after: Option<After> = None;
    loop {
        let rows: Vec<Row> = page_query(manager, filter, &words, after.as_ref(), BATCH as i64)?
            .build_query_as()
            .fetch_all(&mut *tx)
            .await?;
        let full = rows.len() == BATCH;
        after = rows.last().map(Row::after);
        if batches.send(Ok(rows)).await.is_err() || !full {
            return Ok(()); // done, or the browser went away
        }
    }
}

fn header(en: bool) -> &'static [&'static str] {
    if en {
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
    }
}

struct Writer {
    sheet: Sheet,
    language: String,
}

impl Writer {
    /// The batch's rows as CSV (the first chunk starts with the header).
    fn write(&mut self, rows: Vec<Row>) -> ServiceResult<String> {
        let en = self.language == "en";
        let (yes, no) = if en { ("yes", "no") } else { ("ja", "nee") };
        for row in rows {
            let r = row.into_api()?;
            let what = authorization_subject(&self.language, r.service.as_deref(), r.is_admin);
            self.sheet.row(&[
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
        Ok(self.sheet.take())
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
