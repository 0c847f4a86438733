//! Password hashing with argon2id (OWASP parameters), run off the async threads, at most a few
//! at a time: each takes 19 MiB and a core for about a tenth of a second, so hundreds of
//! simultaneous sign-ins must queue rather than exhaust memory. A request that cannot get a
//! slot within `WAIT` is answered `Busy` (503 with Retry-After) instead.

use super::error::{ServiceError, ServiceResult};
use crate::api::ApiError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a request waits for a hashing slot before it is told to come back.
const WAIT: Duration = Duration::from_secs(2);

/// Hashing slots: two per core (at least 2), so the cores stay busy while one slot waits on
/// the thread pool; at 19 MiB each that is well under 100 MiB on a small machine.
fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Semaphore::new((2 * cores).max(2))
    })
}

/// Runs `work` (a hash or verification) in a slot, or answers `Busy`.
async fn in_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
    in_slot_of(slots(), WAIT, work).await
}

async fn in_slot_of<T: Send + 'static>(
    slots: &Semaphore,
    wait: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> ServiceResult<T> {
    let Ok(Ok(_slot)) = tokio::time::timeout(wait, slots.acquire()).await else {
        return Err(ApiError::Busy {
            retry_after_secs: 5,
        }
        .into());
    };
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ServiceError::internal)
}

fn hasher() -> Argon2<'static> {
    // Argon2id, m = 19 MiB, t = 2, p = 1.
    Argon2::default()
}

pub async fn hash(password: String) -> ServiceResult<String> {
    in_slot(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await?
    .map_err(ServiceError::internal)
}

/// True when `password` matches any of `hashes`. With no hashes it still spends the time of one
/// verification, so that an unknown username cannot be told apart by timing.
pub async fn matches_any(password: String, hashes: Vec<String>) -> ServiceResult<bool> {
    in_slot(move || {
        if hashes.is_empty() {
            let _ = verify(&password, dummy_hash());
            return false;
        }
        hashes.iter().any(|h| verify(&password, h))
    })
    .await
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn work_beyond_the_slots_waits_and_is_then_told_to_come_back() {
        static SLOTS: Semaphore = Semaphore::const_new(2);
        let slow = || std::thread::sleep(Duration::from_millis(600));
        let wait = Duration::from_millis(200);
        let runs: Vec<_> = (0..5)
            .map(|_| tokio::spawn(in_slot_of(&SLOTS, wait, slow)))
            .collect();
        let mut answers = Vec::new();
        for run in runs {
            answers.push(run.await.unwrap());
        }
        let done = answers.iter().filter(|a| a.is_ok()).count();
        let busy = answers
            .iter()
            .filter(|a| {
                matches!(a, Err(ServiceError::Api(ApiError::Busy { retry_after_secs })) if *retry_after_secs > 0)
            })
            .count();
        // Two ran; three waited 200 ms for a slot that stayed taken for 600 ms.
        assert_eq!((done, busy), (2, 3));
    }
}
