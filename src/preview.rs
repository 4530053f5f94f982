//! Preview links for drafts and scheduled alerts:
//! `/preview/<slug>?exp=<unix seconds>&sig=<hex HMAC-SHA256(secret, "<slug>\n<exp>")>`.
//! Whoever holds a valid, unexpired link sees the alert; nobody can forge one
//! without the secret.

use crate::sign;

/// Why a preview link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewError {
    /// The link's expiry has passed.
    Expired,
    /// The signature does not match (or the link is malformed).
    Invalid,
    /// The link lives longer than the site allows (`PREVIEW_MAX_DAYS`).
    TooLong,
}

/// How long a preview link may live unless `PREVIEW_MAX_DAYS` says otherwise.
pub const DEFAULT_MAX_DAYS: i64 = 30;

/// The hex signature of a preview link.
pub fn sign(secret: &str, slug: &str, exp: i64) -> String {
    sign::sign_hex(secret, &[slug, &exp.to_string()], 32)
}

/// The path and query of a preview link.
pub fn link(secret: &str, slug: &str, exp: i64) -> String {
    format!("/preview/{slug}?exp={exp}&sig={}", sign(secret, slug, exp))
}

/// Checks a link's `exp` (unix seconds, digits only) and `sig` (in constant
/// time) at `now`; a link may expire at most `max_seconds` after `now`.
pub fn verify(
    secret: &str,
    slug: &str,
    exp: &str,
    sig: &str,
    now: i64,
    max_seconds: i64,
) -> Result<(), PreviewError> {
    // Digits only: `+N` and `0N` would be other spellings of one signed value.
    if exp.is_empty()
        || exp.len() > 12
        || exp.starts_with('0')
        || !exp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(PreviewError::Invalid);
    }
    let exp: i64 = exp.parse().map_err(|_| PreviewError::Invalid)?;
    if sig.len() != 64 || !sign::verify_hex(secret, &[slug, &exp.to_string()], sig) {
        return Err(PreviewError::Invalid);
    }
    if exp < now {
        return Err(PreviewError::Expired);
    }
    if exp > now.saturating_add(max_seconds) {
        return Err(PreviewError::TooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn exp_is_digits_only_and_lives_no_longer_than_allowed() {
        let sig = sign("s3cret", "a", 2000);
        for spelling in ["+2000", "02000", " 2000", "2000 ", "2e3", ""] {
            assert_eq!(
                verify("s3cret", "a", spelling, &sig, 1000, DAY),
                Err(PreviewError::Invalid),
                "{spelling:?}"
            );
        }
        let far = 1000 + 31 * DAY;
        let far_sig = sign("s3cret", "a", far);
        assert_eq!(
            verify("s3cret", "a", &far.to_string(), &far_sig, 1000, 30 * DAY),
            Err(PreviewError::TooLong)
        );
        assert_eq!(
            verify("s3cret", "a", &far.to_string(), &far_sig, 1000, 31 * DAY),
            Ok(())
        );
    }

    #[test]
    fn accepts_a_valid_link_and_refuses_expired_or_forged_ones() {
        let sig = sign("s3cret", "draft-alert", 2000);
        assert_eq!(
            verify("s3cret", "draft-alert", "2000", &sig, 1000, DAY),
            Ok(())
        );
        assert_eq!(
            verify("s3cret", "draft-alert", "2000", &sig, 2001, DAY),
            Err(PreviewError::Expired)
        );
        assert_eq!(
            verify("s3cret", "other-alert", "2000", &sig, 1000, DAY),
            Err(PreviewError::Invalid)
        );
        assert_eq!(
            verify("s3cret", "draft-alert", "3000", &sig, 1000, DAY),
            Err(PreviewError::Invalid)
        );
        assert_eq!(
            verify("wrong", "draft-alert", "2000", &sig, 1000, DAY),
            Err(PreviewError::Invalid)
        );
        assert_eq!(
            verify("s3cret", "draft-alert", "x", &sig, 1000, DAY),
            Err(PreviewError::Invalid)
        );
        assert_eq!(
            verify("s3cret", "draft-alert", "2000", "zz", 1000, DAY),
            Err(PreviewError::Invalid)
        );
    }

    #[test]
    fn links_carry_expiry_and_signature() {
        let l = link("k", "a", 5);
        assert!(l.starts_with("/preview/a?exp=5&sig="));
        assert_eq!(l.len(), "/preview/a?exp=5&sig=".len() + 64);
    }
}
