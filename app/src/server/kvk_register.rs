//! The KvK (Dutch Chamber of Commerce) register, behind a trait: the wizard checks an
//! organization's KvK number and shows its name, address and branches from here.
//!
//! Production (`KVK_API_URL` and `KVK_API_KEY` set): the KvK's public API,
//! "Basisprofiel" and "Vestigingsprofiel" (https://developers.kvk.nl):
//!
//! ```text
//! GET {KVK_API_URL}/v1/basisprofielen/{kvkNummer}             apikey: {KVK_API_KEY}
//!   -> { "kvkNummer", "naam", "_embedded": { "hoofdvestiging": { "adressen": [
//!          { "type": "bezoekadres", "straatnaam", "huisnummer", "huisletter", "postcode", "plaats" } ] } } }
//! GET {KVK_API_URL}/v1/basisprofielen/{kvkNummer}/vestigingen  apikey: {KVK_API_KEY}
//!   -> { "vestigingen": [ { "vestigingsnummer", "eersteHandelsnaam", "volledigAdres" } ] }
//! ```
//! A 404 means "not in the register". Development (no `KVK_API_URL`): our own organizations
//! and branches tables stand in for the register, so the demo organizations can be checked.

use super::error::{ServiceError, ServiceResult};
use crate::domain::kvk::KvkNumber;
use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredBranch {
    pub number: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub kvk: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub branches: Vec<RegisteredBranch>,
}

#[async_trait::async_trait]
pub trait KvkRegister: Send + Sync {
    /// The organization registered under `kvk`, or None.
    async fn lookup(&self, pool: &PgPool, kvk: &KvkNumber) -> ServiceResult<Option<Registration>>;
}

/// Development: our own tables.
pub struct OwnTables;

#[async_trait::async_trait]
impl KvkRegister for OwnTables {
    async fn lookup(&self, pool: &PgPool, kvk: &KvkNumber) -> ServiceResult<Option<Registration>> {
        let org: Option<(uuid::Uuid, String, String, String, String)> = sqlx::query_as(
            "SELECT id, name, street, postal_code, city FROM organizations WHERE kvk_number = $1",
        )
        .bind(kvk.as_str())
        .fetch_optional(pool)
        .await?;
        let Some((id, name, street, postal_code, city)) = org else {
            return Ok(None);
        };
        let branches: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT branch_number, name, street, postal_code, city FROM branches
             WHERE org_id = $1 ORDER BY branch_number",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        Ok(Some(Registration {
            kvk: kvk.as_str().to_string(),
            name,
            street,
            postal_code,
            city,
            branches: branches
                .into_iter()
                .map(
                    |(number, name, street, postal_code, city)| RegisteredBranch {
                        number,
                        name,
                        street,
                        postal_code,
                        city,
                    },
                )
                .collect(),
        }))
    }
}

/// Production: the KvK's API.
pub struct KvkApi {
    client: reqwest::Client,
    base_url: String,
    api_key: super::config::Secret,
}

impl KvkApi {
    pub fn new(base_url: String, api_key: super::config::Secret) -> Self {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self {
            client,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key,
        }
    }

    async fn get(&self, path: &str) -> ServiceResult<Option<serde_json::Value>> {
        let response = self
            .client
            .get(format!("{}{path}", self.base_url))
            .header("apikey", self.api_key.expose())
            .send()
            .await
            .map_err(|e| ServiceError::internal(format!("kvk api: {}", e.without_url())))?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !response.status().is_success() {
            return Err(ServiceError::internal(format!(
                "kvk api answered {}",
                response.status()
            )));
        }
        response
            .json()
            .await
            .map(Some)
            .map_err(|e| ServiceError::internal(format!("kvk api: {}", e.without_url())))
    }
}

fn text(v: &serde_json::Value, key: &str) -> String {
    match &v[key] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

#[async_trait::async_trait]
impl KvkRegister for KvkApi {
    async fn lookup(&self, _pool: &PgPool, kvk: &KvkNumber) -> ServiceResult<Option<Registration>> {
        let Some(profile) = self
            .get(&format!("/v1/basisprofielen/{}", kvk.as_str()))
            .await?
        else {
            return Ok(None);
        };
        let addresses = &profile["_embedded"]["hoofdvestiging"]["adressen"];
        let address = addresses
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|x| x["type"] == "bezoekadres")
                    .or_else(|| a.first())
            })
            .cloned()
            .unwrap_or_default();
        let street = [
            text(&address, "straatnaam"),
            text(&address, "huisnummer") + &text(&address, "huisletter"),
        ]
        .join(" ")
        .trim()
        .to_string();
        let branches = self
            .get(&format!("/v1/basisprofielen/{}/vestigingen", kvk.as_str()))
            .await?
            .and_then(|v| v["vestigingen"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|b| RegisteredBranch {
                number: text(b, "vestigingsnummer"),
                name: text(b, "eersteHandelsnaam"),
                street: text(b, "volledigAdres"),
                postal_code: String::new(),
                city: String::new(),
            })
            .filter(|b| b.number.len() == 12)
            .collect();
        Ok(Some(Registration {
            kvk: kvk.as_str().to_string(),
            name: text(&profile, "naam"),
            street,
            postal_code: text(&address, "postcode"),
            city: text(&address, "plaats"),
            branches,
        }))
    }
}
