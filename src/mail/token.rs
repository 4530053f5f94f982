//! Signed links of email alerts, the signature the first 16 bytes of
//! HMAC-SHA256(`SUBSCRIBER_SECRET`, the fields joined by newlines) in hex.
//! Nobody can make one without the secret.
//!
//! - A confirmation link, `<id>.<expiry>.<signature>`, names a pending
//!   request and expires (48 hours).
//! - A subscriber's links, `<id>.<links>.<expiry>.<signature>`, carry the
//!   version of the subscriber's links (`subscribers.links`, raised each
//!   time the address confirms again, which revokes every older link):
//!   unsubscribe (in every email and its `List-Unsubscribe`, RFC 8058)
//!   never expires; change topics (`/subscription`) expires after
//!   `TOPICS_SECONDS`, and unsubscribes too (its page has the button).
//! - A link of the first format, `<id>.0.<signature>` (purpose `manage`,
//!   no version), is in mailboxes from before versions: it still
//!   unsubscribes, read as version 0, and changes nothing else.

use crate::ids::is_id;
use crate::sign;

/// What a link is for: a link of one purpose never works for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    /// A subscriber's link of the first format (no version): read only,
    /// and only to unsubscribe (`verify_link`).
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
/// How long a change-topics link works: 90 days.
pub const TOPICS_SECONDS: i64 = 90 * 86_400;

/// What a subscriber's link may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Unsubscribe; never expires.
    Unsubscribe,
    /// Change topics and frequency, or unsubscribe; expires.
    Topics,
}

impl Link {
    fn as_str(self) -> &'static str {
        match self {
            Link::Unsubscribe => "unsubscribe",
            Link::Topics => "topics",
        }
    }
}

/// The subscriber a link names, and the version of their links it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: String,
    pub links: i64,
}

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

/// A subscriber's unsubscribe token, for version `links` of their links.
pub fn unsubscribe(secret: &str, id: &str, links: i64) -> String {
    sign_link(secret, Link::Unsubscribe, id, links, 0)
}

/// A subscriber's change-topics token, for version `links` of their links,
/// working until `TOPICS_SECONDS` after `now` (unix seconds).
pub fn topics(secret: &str, id: &str, links: i64, now: i64) -> String {
    sign_link(secret, Link::Topics, id, links, now + TOPICS_SECONDS)
}

fn sign_link(secret: &str, link: Link, id: &str, links: i64, exp: i64) -> String {
    let hex = sign::sign_hex(
        secret,
        &[link.as_str(), id, &links.to_string(), &exp.to_string()],
        16,
    );
    format!("{id}.{links}.{exp}.{hex}")
}

/// A run of at most 12 digits as a number, written as it is signed (no
/// leading zero): one link has one spelling.
fn number(text: &str) -> Option<i64> {
    let canonical = text == "0" || !text.starts_with('0');
    if !canonical || text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    text.parse().ok()
}

/// Who holds a subscriber's link good for `wanted`, if it is genuine and
/// unexpired at `now` (unix seconds): a change-topics link also
/// unsubscribes, and so does a link of the first format (version 0).
/// Whether the version is the subscriber's current one is for the caller,
/// who reads the subscriber.
pub fn verify_link(
    secret: &str,
    wanted: Link,
    token: &str,
    now: i64,
) -> Result<Holder, TokenError> {
    let token = token.trim();
    if token.matches('.').count() == 2 {
        if wanted != Link::Unsubscribe {
            return Err(TokenError::Invalid);
        }
        let id = verify(secret, Purpose::Manage, token, now)?;
        return Ok(Holder { id, links: 0 });
    }
    let mut parts = token.splitn(4, '.');
    let (Some(id), Some(links), Some(exp), Some(sig)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Invalid);
    };
    let (Some(links), Some(exp)) = (number(links), number(exp)) else {
        return Err(TokenError::Invalid);
    };
    if !is_id(id) || sig.len() != 32 {
        return Err(TokenError::Invalid);
    }
    let (l, e) = (links.to_string(), exp.to_string());
    let genuine = [Link::Topics, Link::Unsubscribe]
        .into_iter()
        .filter(|link| *link == wanted || wanted == Link::Unsubscribe)
        .any(|link| sign::verify_hex(secret, &[link.as_str(), id, &l, &e], sig));
    if !genuine {
        return Err(TokenError::Invalid);
    }
    if exp != 0 && now > exp {
        return Err(TokenError::Expired);
    }
    Ok(Holder {
        id: id.to_string(),
        links,
    })
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
    let Some(exp) = number(exp).filter(|_| is_id(id)) else {
        return Err(TokenError::Invalid);
    };
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
    fn an_unsubscribe_link_never_expires_and_changes_nothing_else() {
        let t = unsubscribe(SECRET, "abc123", 3);
        let holder = Ok(Holder {
            id: "abc123".into(),
            links: 3,
        });
        assert_eq!(verify_link(SECRET, Link::Unsubscribe, &t, i64::MAX), holder);
        assert_eq!(
            verify_link(SECRET, Link::Topics, &t, 0),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn a_topics_link_expires_and_also_unsubscribes() {
        assert_eq!(
            TOPICS_SECONDS,
            90 * 86_400,
            "the expired link's page says 90 days"
        );
        let t = topics(SECRET, "abc123", 2, 1_000);
        let holder = Ok(Holder {
            id: "abc123".into(),
            links: 2,
        });
        let end = 1_000 + TOPICS_SECONDS;
        assert_eq!(verify_link(SECRET, Link::Topics, &t, end), holder);
        assert_eq!(verify_link(SECRET, Link::Unsubscribe, &t, end), holder);
        assert_eq!(
            verify_link(SECRET, Link::Topics, &t, end + 1),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_link_of_the_first_format_unsubscribes_as_version_0_only() {
        let t = sign(SECRET, Purpose::Manage, "abc123", 0);
        assert_eq!(
            verify_link(SECRET, Link::Unsubscribe, &t, i64::MAX),
            Ok(Holder {
                id: "abc123".into(),
                links: 0
            })
        );
        assert_eq!(
            verify_link(SECRET, Link::Topics, &t, 0),
            Err(TokenError::Invalid)
        );
        let confirm = sign(SECRET, Purpose::Confirm, "abc123", 0);
        assert_eq!(
            verify_link(SECRET, Link::Unsubscribe, &confirm, 0),
            Err(TokenError::Invalid),
            "a confirmation link is not a subscriber's"
        );
    }

    #[test]
    fn altered_versions_and_forged_links_are_refused() {
        let t = unsubscribe(SECRET, "abc123", 3);
        let invalid = Err(TokenError::Invalid);
        for bad in [
            t.replace(".3.", ".4."),
            t.replace(".3.", ".03."),
            t.replace("abc123", "abc124"),
            t.replace(".3.0.", ".3.9."),
            format!("{t}.x"),
            "abc123.1.0.".into(),
            "abc123.-1.0.0123456789abcdef0123456789abcdef".into(),
        ] {
            assert_eq!(
                verify_link(SECRET, Link::Unsubscribe, &bad, 0),
                invalid,
                "{bad:?}"
            );
        }
        assert_eq!(verify_link("other", Link::Unsubscribe, &t, 0), invalid);
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
