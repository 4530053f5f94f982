//! Signed links of email alerts: `<id>.<expiry>.<signature>`, the
//! signature the first 16 bytes of HMAC-SHA256(`SUBSCRIBER_SECRET`,
//! `"<purpose>\n<id>\n<expiry>"`) in hex. A confirmation link names a pending
//! request and expires (48 hours); a subscriber's link (change topics,
//! unsubscribe) names the subscriber and does not expire, since it stands in
//! every email sent, and dies with the subscription (the id is deleted).
//! Nobody can make one without the secret.

use crate::ids::is_id;
use crate::sign;

/// What a link is for: a link of one purpose never works for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Manage,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Manage => "manage",
        }
    }
}

/// How long a confirmation link works.
pub const CONFIRM_SECONDS: i64 = 48 * 3600;

/// Why a link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

/// The token for `id`; `exp` in unix seconds, 0 for none.
pub fn sign(secret: &str, purpose: Purpose, id: &str, exp: i64) -> String {
    let hex = sign::sign_hex(secret, &[purpose.as_str(), id, &exp.to_string()], 16);
    format!("{id}.{exp}.{hex}")
}

/// A subscriber's token, which both their links carry (it does not expire).
pub fn manage(secret: &str, id: &str) -> String {
    sign(secret, Purpose::Manage, id, 0)
}

/// A link that carries a token (a subscriber's topics and frequency, or
/// unsubscribe; a confirmation) as an absolute URL.
pub fn link(site: &crate::views::Site, token: &str, route: crate::routes::Route) -> String {
    site.abs(&format!("{}?t={token}", route.path()))
}

/// The id a token names, if it is genuine, for this purpose, and unexpired
/// at `now` (unix seconds). The signature is compared in constant time.
pub fn verify(secret: &str, purpose: Purpose, token: &str, now: i64) -> Result<String, TokenError> {
    let mut parts = token.trim().splitn(3, '.');
    let (Some(id), Some(exp), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Invalid);
    };
    if !is_id(id) || exp.is_empty() || exp.len() > 12 || !exp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TokenError::Invalid);
    }
    let exp: i64 = exp.parse().map_err(|_| TokenError::Invalid)?;
    if sig.len() != 32 || !sign::verify_hex(secret, &[purpose.as_str(), id, &exp.to_string()], sig)
    {
        return Err(TokenError::Invalid);
    }
    if exp != 0 && now > exp {
        return Err(TokenError::Expired);
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "test-secret";

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let t = sign(SECRET, Purpose::Confirm, "abc123", 1_000);
        assert_eq!(
            verify(SECRET, Purpose::Confirm, &t, 999),
            Ok("abc123".into())
        );
        assert_eq!(
            verify(SECRET, Purpose::Confirm, &t, 1_000),
            Ok("abc123".into())
        );
        assert_eq!(
            verify(SECRET, Purpose::Confirm, &t, 1_001),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_manage_token_does_not_expire() {
        let t = sign(SECRET, Purpose::Manage, "abc123", 0);
        assert_eq!(
            verify(SECRET, Purpose::Manage, &t, i64::MAX),
            Ok("abc123".into())
        );
    }

    #[test]
    fn forged_altered_or_misused_tokens_are_refused() {
        let t = sign(SECRET, Purpose::Confirm, "abc123", 1_000);
        let invalid = Err(TokenError::Invalid);
        assert_eq!(verify("other", Purpose::Confirm, &t, 0), invalid);
        assert_eq!(
            verify(SECRET, Purpose::Manage, &t, 0),
            invalid,
            "wrong purpose"
        );
        assert_eq!(
            verify(SECRET, Purpose::Confirm, &t.replace("abc123", "abc124"), 0),
            invalid
        );
        assert_eq!(
            verify(SECRET, Purpose::Confirm, &t.replace(".1000.", ".9999."), 0),
            invalid,
            "a longer life is a different signature"
        );
        for bad in [
            "",
            "x",
            "a.b.c",
            "abc123.1000.",
            "abc123.-1.00",
            "ab c.1.00",
            "é.1.00",
        ] {
            assert_eq!(verify(SECRET, Purpose::Confirm, bad, 0), invalid, "{bad:?}");
        }
    }
}
