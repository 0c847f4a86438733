//! The identity-verification partner (in the seeds: AMP Group, by app or home visit), behind a
//! trait. We ask the partner to verify a not-employed user; the partner reports the result to
//! our webhook, `POST /webhooks/identity-verification`, signed with a shared secret.
//!
//! Production (`IDV_API_URL`, `IDV_API_KEY`, `IDV_WEBHOOK_SECRET` set):
//!
//! ```text
//! POST {IDV_API_URL}/v1/verifications           Authorization: Bearer {IDV_API_KEY}
//!   { "external_reference", "first_name", "infix", "last_name", "date_of_birth" (YYYY-MM-DD),
//!     "email", "mobile" (E.164), "deadline" (RFC 3339) }
//!   -> 201 { "id": "<partner reference>", "url": "<where the user starts the verification>" }
//! ```
//!
//! The webhook body is `{ "event_id", "reference", "result": "passed" | "failed" }` and the
//! header `Machtig-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with
//! `IDV_WEBHOOK_SECRET`. Signatures older than 5 minutes are refused; each `event_id` is
//! processed once.
//!
//! Development (no `IDV_API_URL`): the simulator. Verifications wait on the development page
//! `/dev/identiteit`, where a person can let them pass or fail; the page sends a webhook signed
//! exactly as the partner would.

use super::config::Secret;
use super::error::{ServiceError, ServiceResult};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How old a webhook signature may be.
pub const SIGNATURE_TOLERANCE_SECS: i64 = 300;
pub const SIGNATURE_HEADER: &str = "machtig-signature";

#[derive(Debug, Clone)]
pub struct VerificationRequest {
    /// Our applicant id.
    pub external_reference: String,
    pub first_name: String,
    pub infix: String,
    pub last_name: String,
    pub date_of_birth: Option<String>,
    pub email: String,
    pub mobile: String,
    pub deadline: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    /// The partner's reference, which its webhook events name.
    pub reference: String,
    /// Where the user starts the verification.
    pub url: String,
}

#[async_trait::async_trait]
pub trait IdentityVerifier: Send + Sync {
    async fn start(&self, request: &VerificationRequest) -> ServiceResult<Started>;
}

/// Development: verifications wait on `/dev/identiteit`.
pub struct Simulator {
    pub public_url: String,
}

#[async_trait::async_trait]
impl IdentityVerifier for Simulator {
    async fn start(&self, _request: &VerificationRequest) -> ServiceResult<Started> {
        let reference = format!("sim-{}", uuid::Uuid::new_v4());
        Ok(Started {
            url: format!("{}/dev/identiteit?ref={reference}", self.public_url),
            reference,
        })
    }
}

/// Production: the partner's HTTP API.
pub struct PartnerApi {
    url: String,
    api_key: Secret,
    client: reqwest::Client,
}

impl PartnerApi {
    pub fn new(url: String, api_key: Secret) -> Self {
        Self {
            url: url.trim_end_matches('/').to_string(),
            api_key,
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .expect("a TLS client"),
        }
    }
}

#[async_trait::async_trait]
impl IdentityVerifier for PartnerApi {
    async fn start(&self, r: &VerificationRequest) -> ServiceResult<Started> {
        let response = self
            .client
            .post(format!("{}/v1/verifications", self.url))
            .bearer_auth(self.api_key.expose())
            .json(&serde_json::json!({
                "external_reference": r.external_reference,
                "first_name": r.first_name,
                "infix": r.infix,
                "last_name": r.last_name,
                "date_of_birth": r.date_of_birth,
                "email": r.email,
                "mobile": r.mobile,
                "deadline": r.deadline,
            }))
            .send()
            .await
            .map_err(|e| ServiceError::internal(format!("idv api: {}", e.without_url())))?;
        if !response.status().is_success() {
            return Err(ServiceError::internal(format!(
                "idv api answered {}",
                response.status()
            )));
        }
        let body: serde_json::Value = response
            .json()
            .await
            .map_err(|e| ServiceError::internal(format!("idv api: {}", e.without_url())))?;
        match (body["id"].as_str(), body["url"].as_str()) {
            (Some(id), Some(url)) if !id.is_empty() && url.starts_with("https://") => Ok(Started {
                reference: id.to_string(),
                url: url.to_string(),
            }),
            _ => Err(ServiceError::internal(
                "idv api: answer without id or https url",
            )),
        }
    }
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `Machtig-Signature` header value for `body` at `timestamp` (unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(tag))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no signature")]
    Missing,
    #[error("malformed signature")]
    Malformed,
    #[error("signature too old or in the future")]
    Stale,
    #[error("signature does not match")]
    Mismatch,
}

/// Checks a `Machtig-Signature` header against the body, in constant time.
pub fn verify(
    secret: &[u8],
    header: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut tag = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => tag = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(timestamp), Some(tag)) = (timestamp, tag) else {
        return Err(SignatureError::Malformed);
    };
    // `abs_diff`, not `(now - timestamp).abs()`: a sender chooses the timestamp, and
    // `t=-9223372036854775808` made the subtraction overflow (a panic in a debug build).
    if now.abs_diff(timestamp) > SIGNATURE_TOLERANCE_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    mac(secret, timestamp, body)
        .verify_slice(&tag)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fuzz_tests::{inserted, nasty_char};
    use proptest::prelude::*;

    #[test]
    fn a_signature_verifies_only_for_its_body_secret_and_time() {
        let body = br#"{"event_id":"e1","reference":"r","result":"passed"}"#;
        let header = sign(b"secret", 1_000_000, body);
        assert_eq!(verify(b"secret", Some(&header), body, 1_000_010), Ok(()));
        assert_eq!(
            verify(b"other", Some(&header), body, 1_000_010),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"secret", Some(&header), b"{}", 1_000_010),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"secret", Some(&header), body, 1_000_000 + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"secret", None, body, 0),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(b"secret", Some("v1=zz"), body, 0),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn extreme_timestamps_are_stale() {
        for t in [i64::MIN, i64::MAX] {
            let header = sign(b"secret", t, b"{}");
            for now in [0, 1_750_000_000, i64::MIN, i64::MAX] {
                let verdict = verify(b"secret", Some(&header), b"{}", now);
                assert_eq!(verdict.is_ok(), now == t, "t={t} now={now}");
            }
        }
    }

    const SECRET: &[u8] = b"whsec-test";
    const NOW: i64 = 1_750_000_000;

    /// The header as the partner computes it, from the module documentation rather than
    /// from [`sign`]: hex HMAC-SHA256 of "<t>.<body>".
    fn partner_header(secret: &[u8], t: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
    }

    /// Header values an attacker might send: text shaped like the header with odd numbers,
    /// odd hex, extra or repeated parts and stray characters; and arbitrary text.
    fn header_like() -> impl Strategy<Value = String> {
        let number = prop_oneof![
            (NOW - 1_000..NOW + 1_000).prop_map(|t| t.to_string()),
            any::<i64>().prop_map(|t| t.to_string()),
            proptest::sample::select(vec![
                i64::MIN.to_string(),
                i64::MAX.to_string(),
                "-0".into(),
                "+1".into(),
                "".into(),
                "99999999999999999999".into(),
            ]),
        ];
        let hex = prop_oneof!["[0-9a-f]{64}", "[0-9a-fA-F]{0,70}", "[0-9a-z]{0,70}"];
        let part = prop_oneof![
            number.prop_map(|n| format!("t={n}")),
            hex.prop_map(|h| format!("v1={h}")),
            "[a-z0-9]{0,3}=[a-z0-9]{0,8}",
        ];
        let shaped = proptest::collection::vec(part, 0..5).prop_map(|parts| parts.join(","));
        prop_oneof![4 => inserted(shaped, nasty_char(), 0..=2), 1 => any::<String>()]
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..300)
    }

    proptest! {
        // 1,000 cases each, under a second in all; PROPTEST_CASES overrides.
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Whatever the header, without the secret it is refused, and nothing panics.
        #[test]
        fn fuzz_arbitrary_signature_headers_are_refused(
            header in header_like(),
            body in body(),
            now in prop_oneof![Just(NOW), any::<i64>()],
        ) {
            prop_assert!(verify(SECRET, Some(&header), &body, now).is_err(), "{:?}", header);
        }

        /// A body signed as the partner signs it is accepted within the tolerance, in either
        /// direction; past it, refused as stale even though the signature is right.
        #[test]
        fn fuzz_a_correctly_signed_body_is_accepted_only_within_the_tolerance(
            secret in proptest::collection::vec(any::<u8>(), 1..80),
            body in body(),
            t in NOW - 100_000..NOW + 100_000,
            skew in -SIGNATURE_TOLERANCE_SECS * 3..=SIGNATURE_TOLERANCE_SECS * 3,
        ) {
            let header = partner_header(&secret, t, &body);
            prop_assert_eq!(&header, &sign(&secret, t, &body));
            let verdict = verify(&secret, Some(&header), &body, t + skew);
            if skew.abs() <= SIGNATURE_TOLERANCE_SECS {
                prop_assert_eq!(verdict, Ok(()));
            } else {
                prop_assert_eq!(verdict, Err(SignatureError::Stale));
            }
        }

        /// Changing any byte of the body, any hex digit of the signature or the timestamp
        /// makes a correct signature fail.
        #[test]
        fn attack_a_tampered_webhook_is_refused(
            body in proptest::collection::vec(any::<u8>(), 1..300),
            at in any::<proptest::sample::Index>(),
            flip in 1..=255u8,
            digit in 0..64usize,
            other in 1..16u8,
            shift in prop_oneof![-SIGNATURE_TOLERANCE_SECS..0, 1..=SIGNATURE_TOLERANCE_SECS],
        ) {
            let header = partner_header(SECRET, NOW, &body);
            prop_assert_eq!(verify(SECRET, Some(&header), &body, NOW), Ok(()));

            let mut tampered = body.clone();
            tampered[at.index(body.len())] ^= flip;
            prop_assert_eq!(verify(SECRET, Some(&header), &tampered, NOW), Err(SignatureError::Mismatch));

            let (prefix, tag) = header.split_once(",v1=").unwrap();
            let mut tag: Vec<char> = tag.chars().collect();
            let value = tag[digit].to_digit(16).unwrap() as u8;
            tag[digit] = char::from_digit(u32::from((value + other) % 16), 16).unwrap();
            let forged = format!("{prefix},v1={}", String::from_iter(tag));
            prop_assert_eq!(verify(SECRET, Some(&forged), &body, NOW), Err(SignatureError::Mismatch));

            let moved = header.replacen(&format!("t={NOW}"), &format!("t={}", NOW + shift), 1);
            prop_assert_eq!(verify(SECRET, Some(&moved), &body, NOW), Err(SignatureError::Mismatch));
        }
    }
}
