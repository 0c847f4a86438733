//! Random secrets handed to a browser (session cookies, sign-in challenges) and one-time codes.
//! Only their SHA-256 hashes are stored: a database leak does not hand out sessions.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// A 256-bit random token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A uniformly random 6-digit code.
pub fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// A code's hash, salted with the hash of the challenge it belongs to.
pub fn hash_code(challenge_hash: &[u8], code: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(challenge_hash);
    h.update(code.trim().as_bytes());
    h.finalize().to_vec()
}

/// Compares two hashes in time independent of where they differ.
pub fn same_hash(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..1000 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.chars().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn tokens_differ_and_hash_differently() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(!same_hash(&hash_token(&a), &hash_token(&b)));
        assert!(same_hash(&hash_token(&a), &hash_token(&a)));
    }

    #[test]
    fn a_code_hash_depends_on_its_challenge() {
        assert_ne!(hash_code(b"one", "123456"), hash_code(b"two", "123456"));
    }
}
