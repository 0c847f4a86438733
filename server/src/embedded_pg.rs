//! A private PostgreSQL cluster for when no `DATABASE_URL` is given: created with the installed
//! server binaries in `<data dir>/postgres`, listening only on a Unix socket in
//! `<data dir>/postgres-run`, kept across restarts, stopped when the server stops.

use std::path::{Path, PathBuf};
use std::process::Command;

const SUPERUSER: &str = "machtig";
pub const DATABASE: &str = "machtig";

pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    pgdata: PathBuf,
    socket_dir: PathBuf,
    run_as: Option<String>,
    started_here: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "no PostgreSQL server binaries found (initdb, pg_ctl). Install them, e.g. `apt-get install postgresql` \
         on Debian or Ubuntu, or set MACHTIG_PG_BINDIR to their folder, or set DATABASE_URL to use another PostgreSQL"
    )]
    NoBinaries,
    #[error("{0}")]
    Failed(String),
}

fn has_server_binaries(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() && dir.join("postgres").is_file()
}

/// MACHTIG_PG_BINDIR, then `pg_config --bindir`, then the newest /usr/lib/postgresql/*/bin,
/// then the folder of `initdb` on PATH.
fn find_bin_dir() -> Result<PathBuf, EmbeddedError> {
    if let Ok(dir) = std::env::var("MACHTIG_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        return if has_server_binaries(&dir) {
            Ok(dir)
        } else {
            Err(EmbeddedError::NoBinaries)
        };
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_server_binaries(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, dir)| has_server_binaries(dir))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Ok(dir);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|dir| has_server_binaries(dir))
        .ok_or(EmbeddedError::NoBinaries)
}

/// The major version of the server binaries in `dir` (`postgres --version`: "postgres
/// (PostgreSQL) 15.18 (Debian ...)" gives 15).
fn major_version(dir: &Path) -> Option<u32> {
    let out = Command::new(dir.join("postgres"))
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let version = text
        .split(')')
        .nth(1)?
        .split_whitespace()
        .next()?
        .to_string();
    version.split('.').next()?.parse().ok()
}

/// The server binaries for the cluster in `pgdata`: those of the major version that created it
/// (a data folder cannot be read by another major version), else any installed ones for a new
/// cluster.
fn bin_dir_for(pgdata: &Path) -> Result<PathBuf, EmbeddedError> {
    let Some(created_by) = std::fs::read_to_string(pgdata.join("PG_VERSION"))
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
    else {
        return find_bin_dir();
    };
    let same = PathBuf::from(format!("/usr/lib/postgresql/{created_by}/bin"));
    if std::env::var_os("MACHTIG_PG_BINDIR").is_none() && has_server_binaries(&same) {
        return Ok(same);
    }
    let found = find_bin_dir()?;
    match major_version(&found) {
        Some(v) if v == created_by => Ok(found),
        other => Err(EmbeddedError::Failed(format!(
            "the embedded cluster in {} was created by PostgreSQL {created_by}, but the server \
             binaries found ({}) are version {}: install PostgreSQL {created_by}'s server \
             (e.g. apt-get install postgresql-{created_by}) or set MACHTIG_PG_BINDIR to it; to \
             move to a newer version, see \"Upgrading PostgreSQL\" in docs/deployment.md",
            pgdata.display(),
            found.display(),
            other.map_or("unknown".to_string(), |v| v.to_string()),
        ))),
    }
}

/// PostgreSQL refuses to run as root; then the cluster runs as the `postgres` system user.
fn run_as() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find(|l| l.starts_with("Uid:"))?
        .split_whitespace()
        .nth(1)?
        .to_string();
    (uid == "0").then(|| "postgres".to_string())
}

impl EmbeddedPostgres {
    fn command(&self, program: &str) -> Command {
        let path = self.bin_dir.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn run(&self, mut cmd: Command, what: &str) -> Result<(), EmbeddedError> {
        let out = cmd
            .output()
            .map_err(|e| EmbeddedError::Failed(format!("{what}: {e}")))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(EmbeddedError::Failed(format!(
                "{what} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )))
        }
    }

    /// A PostgreSQL client program (pg_dump, pg_restore) of the installed version.
    pub fn tool(program: &str) -> Result<PathBuf, EmbeddedError> {
        let path = find_bin_dir()?.join(program);
        if path.is_file() {
            Ok(path)
        } else {
            Err(EmbeddedError::Failed(format!(
                "{} not found",
                path.display()
            )))
        }
    }

    /// Creates the cluster if needed and starts it unless it already runs.
    pub fn start(data_dir: &Path) -> Result<Self, EmbeddedError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| EmbeddedError::Failed(format!("{}: {e}", data_dir.display())))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(|e| EmbeddedError::Failed(e.to_string()))?;
        let bin_dir = bin_dir_for(&data_dir.join("postgres"))?;
        let mut pg = Self {
            bin_dir,
            pgdata: data_dir.join("postgres"),
            socket_dir: data_dir.join("postgres-run"),
            run_as: run_as(),
            started_here: false,
        };
        for dir in [&pg.pgdata, &pg.socket_dir] {
            std::fs::create_dir_all(dir)
                .map_err(|e| EmbeddedError::Failed(format!("{}: {e}", dir.display())))?;
            // The cluster trusts whoever reaches its socket: only the server's user may.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                    .map_err(|e| EmbeddedError::Failed(format!("{}: {e}", dir.display())))?;
            }
            if let Some(user) = &pg.run_as {
                pg.run(
                    {
                        let mut c = Command::new("chown");
                        c.arg(format!("{user}:")).arg(dir);
                        c
                    },
                    "chown",
                )?;
            }
        }
        if !pg.pgdata.join("PG_VERSION").exists() {
            tracing::info!(pgdata = %pg.pgdata.display(), "creating the embedded PostgreSQL cluster");
            let mut c = pg.command("initdb");
            c.arg("-D").arg(&pg.pgdata).args([
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]);
            pg.run(c, "initdb")?;
        }
        let mut status = pg.command("pg_ctl");
        status.arg("status").arg("-D").arg(&pg.pgdata);
        let running = status.output().map(|o| o.status.success()).unwrap_or(false);
        if !running {
            let mut c = pg.command("pg_ctl");
            c.arg("start")
                .arg("-D")
                .arg(&pg.pgdata)
                .arg("-l")
                .arg(pg.socket_dir.join("postgres.log"))
                .args(["-w", "-t", "60", "-o"])
                .arg(format!(
                    "-c listen_addresses='' -k {} -c unix_socket_permissions=0700 -c max_connections=200 -c shared_buffers=256MB -c fsync=on",
                    pg.socket_dir.display()
                ));
            pg.run(c, "pg_ctl start")?;
            pg.started_here = true;
        }
        Ok(pg)
    }

    /// A URL for the given database on this cluster.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost/{database}?host={}",
            self.socket_dir.display()
        )
    }

    pub fn stop(&self) {
        if self.started_here {
            let mut c = self.command("pg_ctl");
            c.arg("stop")
                .arg("-D")
                .arg(&self.pgdata)
                .args(["-m", "fast", "-w"]);
            if let Err(e) = self.run(c, "pg_ctl stop") {
                tracing::warn!(error = %e, "stopping the embedded PostgreSQL failed");
            }
        }
    }
}
