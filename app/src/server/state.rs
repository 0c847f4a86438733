//! What every request and worker shares: the pool, the settings and the external registers.

use super::config::Settings;
use super::kvk_register::{KvkApi, KvkRegister, OwnTables};
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub kvk: Arc<dyn KvkRegister>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Arc<Settings>) -> Self {
        let kvk: Arc<dyn KvkRegister> = match &settings.kvk_api {
            Some(api) => Arc::new(KvkApi::new(api.url.clone(), api.api_key.clone())),
            None => Arc::new(OwnTables),
        };
        Self {
            pool,
            settings,
            kvk,
        }
    }
}
