//! The one signer: HMAC-SHA256 over the fields of what is signed, each
//! field ended by a newline so that no two lists of fields sign alike, and
//! checked in constant time. Preview links (`crate::preview`), subscribers'
//! links (`crate::mail::token`) and the operator's bearer token
//! (`secrets_match`) all go through it; so does the raw tag
//! (`hmac_sha256`) that AWS's SigV4 (`crate::mail::sigv4`) and Standard
//! Webhooks (`crate::webhook::signature`) chain or encode themselves.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, fields: &[&str]) -> HmacSha256 {
    let mut m = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            m.update(b"\n");
        }
        m.update(field.as_bytes());
    }
    m
}

/// The HMAC-SHA256 tag of `data` under `key`, whole.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    m.finalize().into_bytes().into()
}

/// The first `len` bytes (at most 32) of the tag of `fields`, in hex.
pub fn sign_hex(secret: &str, fields: &[&str], len: usize) -> String {
    let tag = mac(secret, fields).finalize().into_bytes();
    tag[..len.min(tag.len())]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `hex` is the tag of `fields` (or its first bytes, as long as
/// `sign_hex` made it with that length), compared in constant time. A
/// tag that isn't hex, or is empty, never matches.
pub fn verify_hex(secret: &str, fields: &[&str], hex: &str) -> bool {
    let Some(bytes) = from_hex(hex) else {
        return false;
    };
    !bytes.is_empty()
        && bytes.len() <= 32
        && mac(secret, fields).verify_truncated_left(&bytes).is_ok()
}

/// Whether a presented secret (a bearer token) equals the expected one,
/// compared in constant time: both are signed under themselves and the
/// tags compared, so neither their bytes nor their lengths are compared
/// directly.
pub fn secrets_match(given: &str, expected: &str) -> bool {
    let tag = |key: &str| mac(key, &["bearer token"]);
    let expected_tag = tag(expected).finalize().into_bytes();
    tag(given).verify_slice(&expected_tag).is_ok()
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(hex.len() / 2);
    for pair in hex.as_bytes().chunks(2) {
        out.push((digit(pair[0])? * 16 + digit(pair[1])?) as u8);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_verifies_whole_or_cut_and_nothing_else_does() {
        let full = sign_hex("k", &["a", "b"], 32);
        let short = sign_hex("k", &["a", "b"], 16);
        assert_eq!((full.len(), short.len()), (64, 32));
        assert!(full.starts_with(&short));
        assert!(verify_hex("k", &["a", "b"], &full));
        assert!(verify_hex("k", &["a", "b"], &short));
        assert!(!verify_hex("other", &["a", "b"], &full), "another secret");
        assert!(!verify_hex("k", &["a\nb"], &sign_hex("k", &["a", "c"], 32)));
        assert!(!verify_hex("k", &["ab"], &full), "fields are kept apart");
        assert!(!verify_hex("k", &["a", "b"], ""), "empty");
        assert!(!verify_hex("k", &["a", "b"], &full[..63]), "odd length");
        assert!(!verify_hex(
            "k",
            &["a", "b"],
            &full.replace(|c: char| c.is_ascii_digit(), "g")
        ));
    }

    #[test]
    fn fields_are_joined_by_newlines() {
        // The wire format of links made before this module: "slug\nexp".
        use hmac::Mac;
        let mut m = HmacSha256::new_from_slice(b"k").unwrap();
        m.update(b"slug\n123");
        let expected: String = m
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sign_hex("k", &["slug", "123"], 32), expected);
    }

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(secrets_match("Bearer abc", "Bearer abc"));
        assert!(!secrets_match("Bearer abd", "Bearer abc"));
        assert!(!secrets_match("", "Bearer abc"));
        assert!(!secrets_match("Bearer abc ", "Bearer abc"));
    }
}
