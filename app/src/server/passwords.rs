//! Password hashing with argon2id (OWASP parameters), run off the async threads.

use super::error::{ServiceError, ServiceResult};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;

fn hasher() -> Argon2<'static> {
    // Argon2id, m = 19 MiB, t = 2, p = 1.
    Argon2::default()
}

pub async fn hash(password: String) -> ServiceResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(ServiceError::internal)?
    .map_err(ServiceError::internal)
}

/// True when `password` matches any of `hashes`. With no hashes it still spends the time of one
/// verification, so that an unknown username cannot be told apart by timing.
pub async fn matches_any(password: String, hashes: Vec<String>) -> ServiceResult<bool> {
    tokio::task::spawn_blocking(move || {
        if hashes.is_empty() {
            let _ = verify(&password, dummy_hash());
            return false;
        }
        hashes.iter().any(|h| verify(&password, h))
    })
    .await
    .map_err(ServiceError::internal)
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(b"no such user", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let h = hash("Geheim-123".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(matches_any("Geheim-123".into(), vec![h.clone()])
            .await
            .unwrap());
        assert!(!matches_any("Geheim-124".into(), vec![h]).await.unwrap());
        assert!(!matches_any("x".into(), vec![]).await.unwrap());
    }
}
