//! The command line: `server` serves the portal; the other commands fill and operate an
//! install (see docs/deployment.md). Every command reads the same settings as the server (the
//! environment, and a `.env` file in the working folder when present).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Machtig: the portal of an eHerkenning broker.",
    long_about = "Machtig: the portal of an eHerkenning broker.\n\n\
        Without a command it serves the portal. The settings come from the environment and \
        from a .env file in the working folder (see .env.example); the database is \
        DATABASE_URL, or the embedded cluster in MACHTIG_DATA_DIR. Every administration \
        command is one transaction and writes an audit record.\n\n\
        A new install, in this order: create-operator, import-catalog, import-tariffs (the \
        indicative tariffs are there from the start), publish-terms, create-organization."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the portal and run the background jobs (the default).
    Serve,
    /// Create a broker operator, who does the final check. Asks for the password (or reads
    /// one line from standard input with --password-stdin).
    CreateOperator {
        /// The username to sign in with (3 to 64 of a-z, 0-9 and . _ @ -).
        #[arg(long)]
        username: String,
        #[command(flatten)]
        person: PersonArgs,
        /// The operator's assurance level (EH2+ or higher: the operator signs in with an SMS code).
        #[arg(long, default_value = "EH3")]
        level: String,
        /// Read the password from standard input (one line) instead of asking for it.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create a customer organization from the KvK register, with its first authorization
    /// manager, who gets an invitation e-mail and accepts it on the phone like every new user.
    CreateOrganization {
        /// The organization's KvK number (8 digits); name and address come from the register.
        #[arg(long)]
        kvk: String,
        #[command(flatten)]
        manager: PersonArgs,
        /// The manager's assurance level: of the login means and of the manager's right.
        #[arg(long, default_value = "EH3")]
        level: String,
        /// Validity of the manager's authorizations in years: 1, 3 or 5.
        #[arg(long, default_value_t = 1)]
        years: u8,
        /// The manager is not employed by the organization: identity verification and the
        /// final check come first.
        #[arg(long)]
        not_employed: bool,
        /// The username of the operator on whose behalf the application is made.
        #[arg(long)]
        operator: String,
        #[command(flatten)]
        stand_in: StandInArgs,
    },
    /// Import the service catalog from CSV (header service_uuid,provider,name,description,
    /// min_level; comma or semicolon). Idempotent: adds new services, updates changed ones,
    /// keeps services missing from the file.
    ImportCatalog {
        file: PathBuf,
        /// Show what would change and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import the tariffs from CSV (header level,years,price; the price in euros excluding
    /// VAT, e.g. 15,00). Idempotent; new quotes use them at once.
    ImportTariffs {
        file: PathBuf,
        /// Show what would change and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Publish a new version of the terms managers agree to, from two text files.
    PublishTerms {
        /// The Dutch text (plain text, UTF-8).
        #[arg(long)]
        nl: PathBuf,
        /// The English text (plain text, UTF-8).
        #[arg(long)]
        en: PathBuf,
    },
    /// End the sign-in lockout of an account (wrong passwords, wrong codes, codes sent).
    Unlock { username: String },
    /// The outbox's failed messages: list them, or queue them again.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Write a backup of the database with pg_dump (custom format) to a file.
    Backup {
        /// Where to write it (default: machtig-<date>-<time>.dump in the working folder).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Restore a backup made by `backup` into the configured database, which must be empty
    /// (a new cluster or database). The next start brings its schema up to date.
    Restore { file: PathBuf },
    /// Run the expiry job once now (the server runs it every five minutes).
    RunExpiry,
    /// Add N generated users to the demo organizations (benchmarks; development data only).
    SeedUsers {
        #[arg(default_value_t = 100_000)]
        count: i64,
    },
    /// Add N generated authorizations over N/5 users to the demo organizations (benchmarks).
    SeedAuthorizations {
        #[arg(default_value_t = 1_000_000)]
        count: i64,
    },
    /// Run only the embedded PostgreSQL cluster and print its URL (tests).
    EmbeddedPostgres,
    /// Serve the bare axum + sqlx comparison endpoints of the benchmarks.
    BenchBaseline,
    /// Check the first downloads of the release build against their budgets.
    BundleSize {
        /// Write the measured sizes to docs/bundle-sizes.txt.
        #[arg(long)]
        record: bool,
    },
}

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// List the failed messages, newest first.
    Failed {
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Queue failed messages again: the given ids, or all with --all (one-time codes excepted).
    Retry {
        ids: Vec<i64>,
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
}

#[derive(Args)]
pub struct PersonArgs {
    #[arg(long)]
    pub first_name: String,
    #[arg(long, default_value = "")]
    pub infix: String,
    #[arg(long)]
    pub last_name: String,
    #[arg(long)]
    pub email: String,
    /// The mobile number the SMS codes go to (06-12345678 or +31612345678).
    #[arg(long)]
    pub mobile: String,
    /// The language of their e-mails and SMS messages: nl or en.
    #[arg(long, default_value = "nl")]
    pub language: String,
}

/// In development the KvK register is our own organizations table, which does not know a new
/// organization: these stand in for the register's answer there. Production ignores them.
#[derive(Args)]
pub struct StandInArgs {
    /// Development only: the name, when the register stand-in does not know the number.
    #[arg(long)]
    pub name: Option<String>,
    /// Development only: street and number.
    #[arg(long)]
    pub street: Option<String>,
    /// Development only: postal code.
    #[arg(long)]
    pub postal_code: Option<String>,
    /// Development only: city.
    #[arg(long)]
    pub city: Option<String>,
}

impl PersonArgs {
    pub fn person(&self) -> app::server::admin::operators::Person {
        app::server::admin::operators::Person {
            first_name: self.first_name.clone(),
            infix: self.infix.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            mobile: self.mobile.clone(),
            language: self.language.clone(),
        }
    }
}
