//! Background work, safe with any number of server processes: the outbox drains with
//! `FOR UPDATE SKIP LOCKED`; so do the deadline job (expiry and reminders) and the
//! identity-verification requests; housekeeping deletes are idempotent.
//!
//! Each job runs in rounds, each round a task of its own: a round that panics is logged and the
//! job goes on with the next round (a bug in one message or applicant does not stop the
//! outbox). On shutdown no new round starts; a running round finishes (each is short: one
//! batch, every statement bounded by the statement timeout).

use app::server::authorizations::expiry;
use app::server::config::Settings;
use app::server::metrics::Metrics;
use app::server::outbox::{self, email, sms, Transports};
use app::server::{issuing, session, signin, verification, AppState};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub fn transports(settings: &Settings) -> Result<Transports, outbox::DeliveryError> {
    let email: Box<dyn email::EmailTransport> = match &settings.smtp {
        Some(smtp) => Box::new(email::Smtp::new(smtp, &settings.mail_from)?),
        None => Box::new(email::DevelopmentMailbox),
    };
    let sms: Box<dyn sms::SmsGateway> = match &settings.sms_gateway {
        Some(gateway) => Box::new(sms::HttpGateway::new(gateway.clone())?),
        None => Box::new(sms::DevelopmentPhone),
    };
    Ok(Transports {
        email,
        sms,
        erase_sensitive: !settings.is_development(),
    })
}

/// What a round reports: whether there may be more to do right away.
pub enum Round {
    /// More may be waiting: start the next round at once.
    Busy,
    /// Nothing (more) to do: wait the job's period.
    Idle,
    /// The round failed (logged where it happened): wait the job's period and try again.
    Failed,
}

/// Runs `round` again and again until `stop` turns true, waiting `period` after an idle round;
/// a panicking round is logged and followed by the next one.
pub fn supervise<F, Fut>(
    name: &'static str,
    period: Duration,
    mut stop: watch::Receiver<bool>,
    metrics: Arc<Metrics>,
    round: F,
) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Round> + Send + 'static,
{
    tokio::spawn(async move {
        while !*stop.borrow() {
            let round = tokio::spawn(round()).await;
            if let Err(e) = &round {
                if e.is_panic() {
                    tracing::error!(job = name, "a round of the job panicked; the job goes on");
                }
            }
            metrics.job_run(name, matches!(round, Ok(Round::Busy | Round::Idle)));
            let busy = matches!(round, Ok(Round::Busy));
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(period) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        tracing::info!(job = name, "stopped");
    })
}

/// Starts every job; they stop when `stop` turns true.
pub fn spawn(
    state: AppState,
    transports: Transports,
    stop: watch::Receiver<bool>,
) -> Vec<JoinHandle<()>> {
    let transports = Arc::new(transports);
    let outbox_job = {
        let state = state.clone();
        move || {
            let (pool, transports) = (state.pool.clone(), transports.clone());
            async move {
                match outbox::deliver_due(&pool, &transports, 20).await {
                    Ok(n) if n > 0 => Round::Busy,
                    Ok(_) => Round::Idle,
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox worker");
                        Round::Failed
                    }
                }
            }
        }
    };
    let verification_job = {
        let state = state.clone();
        move || {
            let state = state.clone();
            async move {
                match verification::run_due(&state).await {
                    Ok(0) => Round::Idle,
                    Ok(started) => {
                        tracing::info!(started, "identity verifications requested");
                        Round::Idle
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "identity verification requests");
                        Round::Failed
                    }
                }
            }
        }
    };
    let deadline_job = {
        let state = state.clone();
        move || {
            let state = state.clone();
            async move {
                match issuing::run_deadlines(&state.pool, &state.settings.public_url).await {
                    Ok((0, 0)) => Round::Idle,
                    Ok((expired, reminded)) => {
                        tracing::info!(expired, reminded, "application deadlines");
                        Round::Idle
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "application deadlines");
                        Round::Failed
                    }
                }
            }
        }
    };
    let expiry_job = {
        let state = state.clone();
        move || {
            let state = state.clone();
            async move {
                let now = chrono::Utc::now();
                match expiry::run(&state.pool, &state.settings.public_url, now).await {
                    Ok(r) if r.expired + r.noticed + r.invitations_reminded > 0 => tracing::info!(
                        expired = r.expired,
                        noticed = r.noticed,
                        invitations_reminded = r.invitations_reminded,
                        mails = r.mails,
                        "authorization expiry"
                    ),
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "authorization expiry");
                        return Round::Failed;
                    }
                }
                Round::Idle
            }
        }
    };
    let metrics = state.metrics.clone();
    let housekeeping_job = move || {
        let state = state.clone();
        async move {
            let mut round = Round::Idle;
            if let Err(e) = session::purge_expired(&state.pool, &state.settings).await {
                tracing::warn!(error = %e, "session purge");
                round = Round::Failed;
            }
            if let Err(e) = signin::purge(&state.pool).await {
                tracing::warn!(error = %e, "sign-in purge");
                round = Round::Failed;
            }
            round
        }
    };
    vec![
        supervise(
            "outbox",
            Duration::from_millis(500),
            stop.clone(),
            metrics.clone(),
            outbox_job,
        ),
        supervise(
            "verification_requests",
            Duration::from_secs(10),
            stop.clone(),
            metrics.clone(),
            verification_job,
        ),
        supervise(
            "deadlines",
            Duration::from_secs(60),
            stop.clone(),
            metrics.clone(),
            deadline_job,
        ),
        supervise(
            "expiry",
            Duration::from_secs(300),
            stop.clone(),
            metrics.clone(),
            expiry_job,
        ),
        supervise(
            "housekeeping",
            Duration::from_secs(600),
            stop,
            metrics,
            housekeeping_job,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn fault_a_panicking_round_is_followed_by_the_next_and_the_job_stops_on_request() {
        let rounds = Arc::new(AtomicU32::new(0));
        let (stop, stopped) = watch::channel(false);
        let counted = rounds.clone();
        let job = supervise(
            "test",
            Duration::from_millis(5),
            stopped,
            Arc::default(),
            move || {
                let counted = counted.clone();
                async move {
                    let n = counted.fetch_add(1, Ordering::SeqCst);
                    if n.is_multiple_of(2) {
                        panic!("round {n} fails");
                    }
                    Round::Idle
                }
            },
        );
        while rounds.load(Ordering::SeqCst) < 6 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(1), job)
            .await
            .expect("stops at once")
            .expect("the job itself never panics");
    }
}
