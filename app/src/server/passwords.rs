//! Password hashing with argon2id (OWASP parameters), run off the async threads, at most a few
//! at a time: each takes 19 MiB and a core for about a tenth of a second, so hundreds of
//! simultaneous sign-ins must queue rather than exhaust memory. A request that cannot get a
//! slot within `WAIT` is answered `Busy` (503 with Retry-After) instead.
//!
//! The 19 MiB of each hash is a buffer kept for reuse, not allocated per hash: the allocator
//! keeps freed blocks of that size per thread (it raises its mmap threshold after the first
//! one), and under a flood of sign-ins that grew the server past 1.3 GiB (docs/benchmarks.md).
//! With one buffer per slot the hashing never holds more than `slots × 19 MiB`.

use super::error::{ServiceError, ServiceResult};
use crate::api::ApiError;
use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a request waits for a hashing slot before it is told to come back.
const WAIT: Duration = Duration::from_secs(2);

/// Hashing slots: two per core (at least 2), so the cores stay busy while one slot waits on
/// the thread pool; at 19 MiB each that is well under 100 MiB on a small machine.
fn slots() -> &'static Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Arc::new(Semaphore::new((2 * cores).max(2)))
    })
}

/// Runs `work` (a hash or verification) in a slot, or answers `Busy`.
async fn in_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
    in_slot_of(slots(), WAIT, work).await
}

async fn in_slot_of<T: Send + 'static>(
    slots: &Arc<Semaphore>,
    wait: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> ServiceResult<T> {
    let Ok(Ok(slot)) = tokio::time::timeout(wait, slots.clone().acquire_owned()).await else {
        return Err(ApiError::Busy {
            retry_after_secs: 5,
        }
        .into());
    };
    // The slot goes with the work: a request that is cancelled while its hash runs (the client
    // went away) keeps the slot until the hash ends, so never more than `slots` run at once.
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(ServiceError::internal)
}

/// The memory of finished hashes, for the next ones (at most one buffer per slot is ever in
/// use, so at most that many are kept).
fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    static SPARE: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
    let mut memory = SPARE
        .lock()
        .map(|mut spare| spare.pop())
        .unwrap_or_default()
        .unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let result = work(&mut memory[..blocks]);
    if let Ok(mut spare) = SPARE.lock() {
        spare.push(memory);
    }
    result
}

/// Argon2 of `password` with the algorithm, version, parameters and salt of `like`.
fn compute(password: &[u8], like: &PasswordHash) -> Option<Output> {
    let algorithm = Algorithm::try_from(like.algorithm).ok()?;
    let version = match like.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(like).ok()?;
    let mut salt = [0u8; 64];
    let salt = like.salt?.decode_b64(&mut salt).ok()?;
    let mut out = vec![0u8; like.hash?.len()];
    with_memory(params.block_count(), |memory| {
        Argon2::new(algorithm, version, params.clone())
            .hash_password_into_with_memory(password, salt, &mut out, memory)
            .ok()
    })?;
    Output::new(&out).ok()
}

/// A new argon2id hash of `password` in the PHC string format.
fn hash_now(password: &[u8]) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default(); // m = 19 MiB, t = 2, p = 1
    let mut template = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|e| format!("{e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&[0u8; Params::DEFAULT_OUTPUT_LEN]).map_err(|e| format!("{e}"))?),
    };
    template.hash = Some(compute(password, &template).ok_or("argon2 failed")?);
    Ok(template.to_string())
}

pub async fn hash(password: String) -> ServiceResult<String> {
    in_slot(move || hash_now(password.as_bytes()))
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
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    // `Output`'s equality takes the same time wherever the first difference is.
    match (compute(password.as_bytes(), &parsed), parsed.hash) {
        (Some(computed), Some(expected)) => computed == expected,
        _ => false,
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now(b"no such user").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_standard_argon2id_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Ours verify with the argon2 crate's own verifier, and its hashes (older ones in the
        // database) verify with ours.
        let ours = hash_now(b"Geheim-123").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"Geheim-123", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"Geheim-124", &parsed)
            .is_err());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"Geheim-123", &salt)
            .unwrap()
            .to_string();
        assert!(verify("Geheim-123", &theirs));
        assert!(!verify("Geheim-124", &theirs));
        assert!(!verify("Geheim-123", "not a hash"));
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
    }

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
        let slots = Arc::new(Semaphore::new(2));
        let slow = || std::thread::sleep(Duration::from_millis(600));
        let wait = Duration::from_millis(200);
        let runs: Vec<_> = (0..5)
            .map(|_| {
                let slots = slots.clone();
                tokio::spawn(async move { in_slot_of(&slots, wait, slow).await })
            })
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
