//! Background work, safe with any number of server processes: the outbox drains with
//! `FOR UPDATE SKIP LOCKED`; so does the deadline job (expiry and reminders); housekeeping
//! deletes are idempotent.

use app::server::config::Settings;
use app::server::outbox::{self, email, sms, Transports};
use app::server::{issuing, session, signin, AppState};
use std::time::Duration;

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

pub fn spawn(state: AppState, transports: Transports) {
    let outbox_state = state.clone();
    tokio::spawn(async move {
        loop {
            match outbox::deliver_due(&outbox_state.pool, &transports, 20).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox worker"),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let deadline_state = state.clone();
    tokio::spawn(async move {
        loop {
            match issuing::run_deadlines(&deadline_state.pool, &deadline_state.settings.public_url)
                .await
            {
                Ok((0, 0)) => {}
                Ok((expired, reminded)) => {
                    tracing::info!(expired, reminded, "application deadlines")
                }
                Err(e) => tracing::warn!(error = %e, "application deadlines"),
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
    tokio::spawn(async move {
        loop {
            if let Err(e) = session::purge_expired(&state.pool, &state.settings).await {
                tracing::warn!(error = %e, "session purge");
            }
            if let Err(e) = signin::purge(&state.pool).await {
                tracing::warn!(error = %e, "sign-in purge");
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    });
}
