//! The HTTP services outside the broker, played on one local server: the SMS gateway (keeps
//! every message), the KvK register's API (knows one organization) and the
//! identity-verification partner (not reached by these tests: it answers 503).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const SMS_KEY: &str = "sms-gateway-key";
pub const KVK_KEY: &str = "kvk-api-key";
/// The organization the register knows.
pub const KVK: &str = "61234567";
pub const ORGANIZATION: &str = "Kapsalon Knip B.V.";

#[derive(Clone, Default)]
struct Kept {
    sms: Arc<Mutex<Vec<(String, String)>>>,
}

pub struct Outside {
    pub base: String,
    kept: Kept,
}

impl Outside {
    pub async fn start() -> Self {
        let kept = Kept::default();
        let app = Router::new()
            .route("/sms", post(sms))
            .route("/kvk/v1/basisprofielen/{kvk}", get(profile))
            .route("/kvk/v1/basisprofielen/{kvk}/vestigingen", get(branches))
            .route(
                "/idv/{*rest}",
                any(|| async { StatusCode::SERVICE_UNAVAILABLE }),
            )
            .with_state(kept.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base, kept }
    }

    /// Every SMS the gateway accepted: (recipient, text).
    pub fn sms(&self) -> Vec<(String, String)> {
        self.kept.sms.lock().unwrap().clone()
    }

    pub fn sms_count(&self, to: &str) -> usize {
        self.sms().iter().filter(|(r, _)| r == to).count()
    }

    /// Waits for a new SMS to `to` (after the first `before`) and returns its one-time code.
    pub async fn next_code(&self, to: &str, before: usize) -> String {
        super::eventually(&format!("an SMS code to {to}"), || {
            self.sms()
                .into_iter()
                .filter(|(r, _)| r == to)
                .nth(before)
                .map(|(_, text)| text.rsplit('#').next().unwrap().trim().to_string())
        })
        .await
    }
}

async fn sms(State(kept): State<Kept>, headers: HeaderMap, Json(body): Json<Value>) -> StatusCode {
    if headers.get("authorization").and_then(|v| v.to_str().ok())
        != Some(&format!("AccessKey {SMS_KEY}"))
    {
        return StatusCode::UNAUTHORIZED;
    }
    for to in body["recipients"].as_array().into_iter().flatten() {
        kept.sms.lock().unwrap().push((
            to.as_str().unwrap_or_default().to_string(),
            body["body"].as_str().unwrap_or_default().to_string(),
        ));
    }
    StatusCode::CREATED
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("apikey").and_then(|v| v.to_str().ok()) == Some(KVK_KEY)
}

async fn profile(headers: HeaderMap, Path(kvk): Path<String>) -> (StatusCode, Json<Value>) {
    if !authorized(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({})));
    }
    if kvk != KVK {
        return (StatusCode::NOT_FOUND, Json(json!({})));
    }
    (
        StatusCode::OK,
        Json(json!({
            "kvkNummer": KVK,
            "naam": ORGANIZATION,
            "_embedded": { "hoofdvestiging": { "adressen": [{
                "type": "bezoekadres", "straatnaam": "Kerkstraat", "huisnummer": 7,
                "huisletter": "", "postcode": "8011 AB", "plaats": "Zwolle"
            }]}}
        })),
    )
}

async fn branches(headers: HeaderMap, Path(kvk): Path<String>) -> (StatusCode, Json<Value>) {
    if !authorized(&headers) || kvk != KVK {
        return (StatusCode::NOT_FOUND, Json(json!({})));
    }
    (
        StatusCode::OK,
        Json(json!({ "vestigingen": [{
            "vestigingsnummer": "000061234567", "eersteHandelsnaam": "Kapsalon Knip Zwolle",
            "volledigAdres": "Kerkstraat 7 8011AB Zwolle"
        }]})),
    )
}
