//! The administration commands (`cli::Command`), each on its own connection to the database:
//! they print what they did for the person at the terminal and exit non-zero on a refusal.

use crate::cli::{OutboxCommand, PersonArgs, StandInArgs};
use crate::database::connect;
use crate::embedded_pg::EmbeddedPostgres;
use crate::BoxError;
use app::domain::level::AssuranceLevel;
use app::domain::tariff::{format_euro, Validity};
use app::server::admin::{self, catalog_import, organizations, tariff_import};
use app::server::config::Settings;
use app::server::kvk_register::Registration;
use app::server::AppState;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;

/// Runs `work` with a migrated pool (starting the embedded cluster when it is the database and
/// stopping it again when this command started it).
pub async fn with_state<T, F, Fut>(work: F) -> Result<T, BoxError>
where
    F: FnOnce(AppState) -> Fut,
    Fut: Future<Output = Result<T, BoxError>>,
{
    let settings = Arc::new(Settings::from_env()?);
    let (pool, pg) = connect(&settings).await?;
    let done = work(AppState::new(pool.clone(), settings)).await;
    pool.close().await;
    if let Some(pg) = pg {
        pg.stop();
    }
    done
}

fn level(s: &str) -> Result<AssuranceLevel, BoxError> {
    AssuranceLevel::parse(s).map_err(|_| format!("{s:?} is not EH2, EH2+, EH3 or EH4").into())
}

fn read(file: &Path) -> Result<String, BoxError> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", file.display()).into())
}

/// The password for a new account: from the terminal without echo, or one line of standard
/// input (for scripts). Never an argument, which would end up in the shell's history and `ps`.
fn password(from_stdin: bool) -> Result<String, BoxError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Password again: ")?;
    if first != again {
        return Err("the passwords differ".into());
    }
    Ok(first)
}

pub async fn create_operator(
    username: String,
    person: PersonArgs,
    level_name: String,
    password_stdin: bool,
) -> Result<(), BoxError> {
    let level = level(&level_name)?;
    let secret = password(password_stdin)?;
    with_state(|state| async move {
        let id = admin::operators::create(&state.pool, &username, &person.person(), level, &secret)
            .await?;
        println!(
            "operator {username} created ({id}); they sign in with the password and an SMS code"
        );
        Ok(())
    })
    .await
}

pub struct NewOrganizationArgs {
    pub kvk: String,
    pub manager: PersonArgs,
    pub level: String,
    pub years: u8,
    pub not_employed: bool,
    pub operator: String,
    pub stand_in: StandInArgs,
}

pub async fn create_organization(a: NewOrganizationArgs) -> Result<(), BoxError> {
    let new = organizations::NewOrganization {
        kvk: a.kvk.clone(),
        manager: a.manager.person(),
        level: level(&a.level)?,
        validity: Validity::parse(a.years).map_err(|e| e.to_string())?,
        employed: !a.not_employed,
        operator: a.operator,
    };
    with_state(|state| async move {
        let s = a.stand_in;
        let stand_in = match (state.settings.is_development(), s.name) {
            (true, Some(name)) => Some(Registration {
                kvk: a.kvk,
                name,
                street: s.street.unwrap_or_default(),
                postal_code: s.postal_code.unwrap_or_default(),
                city: s.city.unwrap_or_default(),
                branches: Vec::new(),
            }),
            (false, Some(_)) => {
                return Err("--name and the address stand in for the KvK register in development only: production asks the register".into())
            }
            (_, None) => None,
        };
        let created = organizations::create(
            &state.pool,
            state.kvk.as_ref(),
            &state.settings.public_url,
            &new,
            stand_in,
        )
        .await?;
        println!(
            "{} created ({}); {} is invited as its authorization manager (application {}, {} incl. VAT). The invitation e-mail is in the outbox.",
            created.name,
            created.org_id,
            new.manager.email,
            created.application_id,
            format_euro(created.total_cents, false)
        );
        Ok(())
    })
    .await
}

fn problems(list: Vec<admin::changes::LineProblem>) -> BoxError {
    let lines: Vec<String> = list.iter().map(ToString::to_string).collect();
    format!("nothing imported:\n{}", lines.join("\n")).into()
}

fn report<R: std::fmt::Display>(changes: &admin::changes::Changes<R>, dry_run: bool) {
    println!("{changes}");
    if dry_run {
        println!("dry run: nothing changed");
    } else if changes.is_empty() {
        println!("nothing to change");
    } else {
        println!("imported");
    }
}

pub async fn import_catalog(file: &Path, dry_run: bool) -> Result<(), BoxError> {
    let services = catalog_import::parse(&read(file)?).map_err(problems)?;
    with_state(|state| async move {
        report(
            &catalog_import::import(&state.pool, &services, dry_run).await?,
            dry_run,
        );
        Ok(())
    })
    .await
}

pub async fn import_tariffs(file: &Path, dry_run: bool) -> Result<(), BoxError> {
    let tariffs = tariff_import::parse(&read(file)?).map_err(problems)?;
    with_state(|state| async move {
        report(
            &tariff_import::import(&state.pool, &tariffs, dry_run).await?,
            dry_run,
        );
        Ok(())
    })
    .await
}

pub async fn publish_terms(nl: &Path, en: &Path) -> Result<(), BoxError> {
    let (nl, en) = (read(nl)?, read(en)?);
    with_state(|state| async move {
        let version = admin::terms::publish(&state.pool, &nl, &en).await?;
        println!("terms version {version} published: managers agree to it from now on");
        Ok(())
    })
    .await
}

pub async fn unlock(username: String) -> Result<(), BoxError> {
    with_state(|state| async move {
        let cleared = admin::accounts::unlock(&state.pool, &username).await?;
        println!("{username} can sign in again ({cleared} counted attempts cleared)");
        Ok(())
    })
    .await
}

pub async fn outbox(command: OutboxCommand) -> Result<(), BoxError> {
    with_state(|state| async move {
        match command {
            OutboxCommand::Failed { limit } => {
                let failed = admin::outbox::failed(&state.pool, limit).await?;
                if failed.is_empty() {
                    println!("no failed messages");
                }
                for m in failed {
                    println!(
                        "{}\t{}\t{}\t{}\t{} attempts\t{}{}",
                        m.id,
                        m.created_at.format("%d-%m-%Y %H:%M"),
                        m.channel,
                        m.recipient,
                        m.attempts,
                        m.last_error.unwrap_or_default(),
                        if m.one_time_code {
                            "\t(one-time code: not sent again)"
                        } else {
                            ""
                        }
                    );
                }
            }
            OutboxCommand::Retry { ids, all } => {
                if ids.is_empty() && !all {
                    return Err("name the ids to retry, or --all".into());
                }
                let retried = admin::outbox::retry(&state.pool, &ids).await?;
                println!("{} message(s) queued again: {retried:?}", retried.len());
            }
        }
        Ok(())
    })
    .await
}

/// Runs `work` with the database's URL, unmigrated (a restore needs it empty), starting the
/// embedded cluster when it is the database and stopping it again when this command started it.
async fn with_database_url<F, Fut>(work: F) -> Result<(), BoxError>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<(), BoxError>>,
{
    let settings = Settings::from_env()?;
    let (url, pg) = crate::database::database(&settings).await?;
    let done = work(url).await;
    if let Some(pg) = pg {
        pg.stop();
    }
    done
}

/// The audit record of a backup or a restore, naming the file.
async fn audit_file(
    url: &str,
    action: app::server::audit::Action,
    file: &Path,
) -> Result<(), BoxError> {
    let pool = sqlx::PgPool::connect(url).await?;
    let mut tx = pool.begin().await?;
    app::server::audit::record(
        &mut tx,
        None,
        action,
        None,
        admin::with_actor(serde_json::json!({ "file": file.display().to_string() })),
    )
    .await?;
    tx.commit().await?;
    pool.close().await;
    Ok(())
}

/// `backup`: an audit record, then pg_dump in the custom format (compressed; restored with
/// `restore` or pg_restore). Uses the pg_dump of the installed PostgreSQL.
pub async fn backup(output: Option<std::path::PathBuf>) -> Result<(), BoxError> {
    let output = output.unwrap_or_else(|| {
        format!(
            "machtig-{}.dump",
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        )
        .into()
    });
    with_database_url(|url| async move {
        audit_file(&url, app::server::audit::Action::BackupMade, &output).await?;
        let status = std::process::Command::new(EmbeddedPostgres::tool("pg_dump")?)
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(&output)
            .arg(&url)
            .status()?;
        if !status.success() {
            return Err(format!("pg_dump failed ({status})").into());
        }
        println!("backup written to {}", output.display());
        Ok(())
    })
    .await
}

/// `restore`: pg_restore into the configured database, in one transaction, refusing a database
/// that has tables of Machtig already (restoring over live data would mix two states).
pub async fn restore(file: &Path) -> Result<(), BoxError> {
    if !file.is_file() {
        return Err(format!("{}: no such file", file.display()).into());
    }
    with_database_url(|url| async move {
        let pool = sqlx::PgPool::connect(&url).await?;
        let used: bool =
            sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL")
                .fetch_one(&pool)
                .await?;
        pool.close().await;
        if used {
            return Err("the database is not empty: restore into a new database or cluster".into());
        }
        let status = std::process::Command::new(EmbeddedPostgres::tool("pg_restore")?)
            .args([
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
            ])
            .arg(&url)
            .arg(file)
            .status()?;
        if !status.success() {
            return Err(format!("pg_restore failed ({status}): nothing was restored").into());
        }
        audit_file(&url, app::server::audit::Action::BackupRestored, file).await?;
        println!(
            "restored {}; start the server to bring its schema up to date",
            file.display()
        );
        Ok(())
    })
    .await
}
