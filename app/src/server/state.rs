//! What every request and worker shares: the pool, the settings and the external registers.

use super::config::Settings;
use super::identity_verification::{IdentityVerifier, PartnerApi, Simulator};
use super::kvk_register::{KvkApi, KvkRegister, OwnTables};
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub kvk: Arc<dyn KvkRegister>,
    pub identity: Arc<dyn IdentityVerifier>,
    /// This process's counts for `/metrics`.
    pub metrics: Arc<super::metrics::Metrics>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Arc<Settings>) -> Self {
        super::brand::set(&settings.brand);
        let kvk: Arc<dyn KvkRegister> = match &settings.kvk_api {
            Some(api) => Arc::new(KvkApi::new(api.url.clone(), api.api_key.clone())),
            None => Arc::new(OwnTables),
        };
        let identity: Arc<dyn IdentityVerifier> = match &settings.idv_api {
            Some(api) => Arc::new(PartnerApi::new(api.url.clone(), api.api_key.clone())),
            None => Arc::new(Simulator {
                public_url: settings.public_url.clone(),
            }),
        };
        Self {
            pool,
            settings,
            kvk,
            identity,
            metrics: Arc::default(),
        }
    }
}
