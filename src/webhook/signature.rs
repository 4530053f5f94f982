//! Standard Webhooks' signature (standardwebhooks.com): the secret is
//! `whsec_` and the base64 of its key's bytes; each delivery carries
//! `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 of
//! HMAC-SHA256 of "id.timestamp.body" under the key>`. The id stays the
//! same on every retry, the timestamp (and so the signature) is each
//! attempt's own.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// The prefix of every secret.
const PREFIX: &str = "whsec_";

/// An endpoint's signing key.
pub struct Secret(Vec<u8>);

impl Secret {
    /// A new secret from random bytes (24 or more).
    pub fn from_random(bytes: &[u8]) -> Self {
        Secret(bytes.to_vec())
    }

    /// Reads `whsec_<base64>`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let key = STANDARD.decode(text.strip_prefix(PREFIX)?).ok()?;
        (!key.is_empty()).then_some(Secret(key))
    }

    /// The secret as the operator is given it (once) and D1 keeps it.
    pub fn text(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.0))
    }

    /// The `webhook-signature` header of one attempt.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut signed = format!("{id}.{timestamp}.").into_bytes();
        signed.extend_from_slice(body);
        let tag = crate::sign::hmac_sha256(&self.0, &signed);
        format!("v1,{}", STANDARD.encode(tag))
    }

    /// Whether a `webhook-signature` header (one or more space-separated
    /// `v1,...` signatures) holds this secret's signature of the attempt,
    /// compared in constant time: what a receiver does (README, "Push").
    pub fn verify(&self, header: &str, id: &str, timestamp: i64, body: &[u8]) -> bool {
        let expected = self.sign(id, timestamp, body);
        header
            .split(' ')
            .any(|given| crate::sign::secrets_match(given, &expected))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    // The published vectors: the Svix libraries' tests (PHP's
    // `testSignFunctionWorks`, the first) and Standard Webhooks' own Rust
    // reference library (`libraries/rust`, `test_sign`, the second).
    #[test_case(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1_614_265_330,
        r#"{"test": 2432232314}"#
        => "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        "the svix test vector"
    )]
    #[test_case(
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        1_649_367_553,
        r#"{"email":"test@example.com","username":"test_user"}"#
        => "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";
        "the reference library's vector"
    )]
    fn signs_the_published_vectors(secret: &str, id: &str, ts: i64, body: &str) -> String {
        Secret::parse(secret).unwrap().sign(id, ts, body.as_bytes())
    }

    #[test]
    fn verifies_its_own_and_nothing_else() {
        let s = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let good = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        let body = br#"{"test": 2432232314}"#;
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        assert!(s.verify(good, id, 1_614_265_330, body));
        assert!(s.verify(&format!("v1,bm9wZQ== {good}"), id, 1_614_265_330, body));
        assert!(!s.verify(good, id, 1_614_265_331, body), "another time");
        assert!(!s.verify(good, "msg_other", 1_614_265_330, body));
        assert!(!s.verify(good, id, 1_614_265_330, b"{}"));
        assert!(!s.verify("", id, 1_614_265_330, body));
    }

    #[test]
    fn a_secret_reads_back_what_it_writes() {
        let s = Secret::from_random(&[7; 32]);
        let text = s.text();
        assert!(text.starts_with("whsec_"), "{text}");
        assert_eq!(Secret::parse(&text).unwrap().0, vec![7; 32]);
        assert!(Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_none());
        assert!(Secret::parse("whsec_!!").is_none());
        assert!(Secret::parse("whsec_").is_none());
    }
}
