//! The figures `/metrics` shows in the Prometheus text format: requests by endpoint and status
//! with latency histograms, sign-ins by outcome, job rounds, and (read when scraped) the outbox
//! and the database pool. Kept per process in the `AppState` (not a global recorder), so each
//! server process, and each test's portal, counts its own.

use super::error::ServiceResult;
use crate::api::ApiError;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    /// Per bucket of `BUCKETS`, how many observations were at most its bound (not cumulative).
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Counts {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    signins: BTreeMap<&'static str, u64>,
    jobs: BTreeMap<(&'static str, &'static str), u64>,
}

#[derive(Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

/// What a sign-in step ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigninOutcome {
    /// A session was started.
    Succeeded,
    /// The password was right and an SMS code was sent.
    CodeSent,
    /// A wrong password or code.
    Failed,
    /// Refused by the throttle: the account or the address is locked.
    LockedOut,
    /// Anything else (the database unavailable, an expired challenge).
    Other,
}

impl SigninOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::CodeSent => "code_sent",
            Self::Failed => "failed",
            Self::LockedOut => "locked_out",
            Self::Other => "other",
        }
    }

    /// The outcome of an error from a sign-in step.
    pub fn of_error(e: &super::ServiceError) -> Self {
        match e {
            super::ServiceError::Api(
                ApiError::InvalidCredentials | ApiError::InvalidCode { .. },
            ) => Self::Failed,
            super::ServiceError::Api(ApiError::TooManyAttempts { .. }) => Self::LockedOut,
            _ => Self::Other,
        }
    }
}

impl Metrics {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// One answered request: `endpoint` is a route name, never a raw path (bounded labels).
    pub fn request(&self, endpoint: &str, status: u16, seconds: f64) {
        let mut c = self.counts();
        *c.requests
            .entry((endpoint.to_string(), status))
            .or_default() += 1;
        let h = c.latency.entry(endpoint.to_string()).or_default();
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            h.counts[i] += 1;
        }
        h.count += 1;
        h.sum += seconds;
    }

    pub fn signin(&self, outcome: SigninOutcome) {
        *self.counts().signins.entry(outcome.label()).or_default() += 1;
    }

    /// Counts a sign-in step's result (see [`SigninOutcome`]).
    pub fn signin_result<T>(&self, result: &ServiceResult<T>, ok: SigninOutcome) {
        self.signin(match result {
            Ok(_) => ok,
            Err(e) => SigninOutcome::of_error(e),
        });
    }

    /// One round of a background job, and whether it ended well.
    pub fn job_run(&self, job: &'static str, ok: bool) {
        *self
            .counts()
            .jobs
            .entry((job, if ok { "ok" } else { "failed" }))
            .or_default() += 1;
    }

    /// The text format, with the figures read now from the database and the pool.
    pub fn render(&self, now: &Gauges) -> String {
        let c = self.counts();
        let mut out = String::new();
        header(
            &mut out,
            "machtig_http_requests_total",
            "counter",
            "Answered requests by endpoint and status.",
        );
        for ((endpoint, status), n) in &c.requests {
            let _ = writeln!(
                out,
                "machtig_http_requests_total{{endpoint=\"{endpoint}\",status=\"{status}\"}} {n}"
            );
        }
        header(
            &mut out,
            "machtig_http_request_duration_seconds",
            "histogram",
            "Time to answer a request, by endpoint.",
        );
        for (endpoint, h) in &c.latency {
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "machtig_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "machtig_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"+Inf\"}} {}\n\
                 machtig_http_request_duration_seconds_sum{{endpoint=\"{endpoint}\"}} {}\n\
                 machtig_http_request_duration_seconds_count{{endpoint=\"{endpoint}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        header(
            &mut out,
            "machtig_signins_total",
            "counter",
            "Sign-in steps by outcome (locked_out: refused by the throttle).",
        );
        for outcome in [
            SigninOutcome::Succeeded,
            SigninOutcome::CodeSent,
            SigninOutcome::Failed,
            SigninOutcome::LockedOut,
            SigninOutcome::Other,
        ] {
            let n = c.signins.get(outcome.label()).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "machtig_signins_total{{outcome=\"{}\"}} {n}",
                outcome.label()
            );
        }
        header(
            &mut out,
            "machtig_job_runs_total",
            "counter",
            "Rounds of the background jobs in this process, by result.",
        );
        for ((job, result), n) in &c.jobs {
            let _ = writeln!(
                out,
                "machtig_job_runs_total{{job=\"{job}\",result=\"{result}\"}} {n}"
            );
        }
        header(
            &mut out,
            "machtig_outbox_messages",
            "gauge",
            "Messages in the outbox by status (shared by all processes).",
        );
        for (status, n) in [
            ("pending", now.outbox_pending),
            ("failed", now.outbox_failed),
        ] {
            let _ = writeln!(out, "machtig_outbox_messages{{status=\"{status}\"}} {n}");
        }
        header(
            &mut out,
            "machtig_outbox_oldest_pending_seconds",
            "gauge",
            "Age of the oldest message waiting to be sent (0 when none).",
        );
        let _ = writeln!(
            out,
            "machtig_outbox_oldest_pending_seconds {}",
            now.oldest_pending_seconds
        );
        header(
            &mut out,
            "machtig_db_pool_connections",
            "gauge",
            "This process's database connections, in use and idle.",
        );
        let _ = writeln!(
            out,
            "machtig_db_pool_connections{{state=\"in_use\"}} {}\nmachtig_db_pool_connections{{state=\"idle\"}} {}",
            now.pool_size.saturating_sub(now.pool_idle),
            now.pool_idle
        );
        header(
            &mut out,
            "machtig_db_pool_max_connections",
            "gauge",
            "The most connections this process opens.",
        );
        let _ = writeln!(out, "machtig_db_pool_max_connections {}", now.pool_max);
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// The figures read at scrape time.
#[derive(Debug, Default)]
pub struct Gauges {
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    pub oldest_pending_seconds: f64,
    pub pool_size: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
}

pub async fn gauges(pool: &sqlx::PgPool) -> ServiceResult<Gauges> {
    let (pending, failed, oldest): (i64, i64, f64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'pending'),
                count(*) FILTER (WHERE status = 'failed'),
                coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8
           FROM outbox WHERE status <> 'sent'",
    )
    .fetch_one(pool)
    .await?;
    Ok(Gauges {
        outbox_pending: pending,
        outbox_failed: failed,
        oldest_pending_seconds: oldest,
        pool_size: pool.size(),
        pool_idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
        pool_max: pool.options().get_max_connections(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_format_has_cumulative_buckets_and_every_family() {
        let m = Metrics::default();
        m.request("api/auth/sign_in", 200, 0.003);
        m.request("api/auth/sign_in", 200, 0.2);
        m.request("api/auth/sign_in", 401, 20.0);
        m.signin(SigninOutcome::Succeeded);
        m.job_run("outbox", true);
        let text = m.render(&Gauges {
            outbox_pending: 2,
            pool_size: 3,
            pool_idle: 1,
            ..Gauges::default()
        });
        for line in [
            "machtig_http_requests_total{endpoint=\"api/auth/sign_in\",status=\"200\"} 2",
            "machtig_http_request_duration_seconds_bucket{endpoint=\"api/auth/sign_in\",le=\"0.005\"} 1",
            "machtig_http_request_duration_seconds_bucket{endpoint=\"api/auth/sign_in\",le=\"0.25\"} 2",
            "machtig_http_request_duration_seconds_bucket{endpoint=\"api/auth/sign_in\",le=\"10\"} 2",
            "machtig_http_request_duration_seconds_bucket{endpoint=\"api/auth/sign_in\",le=\"+Inf\"} 3",
            "machtig_http_request_duration_seconds_count{endpoint=\"api/auth/sign_in\"} 3",
            "machtig_signins_total{outcome=\"succeeded\"} 1",
            "machtig_signins_total{outcome=\"locked_out\"} 0",
            "machtig_job_runs_total{job=\"outbox\",result=\"ok\"} 1",
            "machtig_outbox_messages{status=\"pending\"} 2",
            "machtig_db_pool_connections{state=\"in_use\"} 2",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line}:\n{text}");
        }
    }
}
