//! Amazon SNS messages delivered over HTTPS, the parts that are plain
//! Rust: reading one (`read`), what its signature covers
//! (`string_to_sign`), where its certificate may come from
//! (`cert_url_allowed`) and its confirmation link may go
//! (`subscribe_url_allowed`), the certificate's key and validity
//! (`certificate_from_pem`) and the message's age (`fresh`); `admit` runs the checks
//! that need no network. The Worker fetches the certificate, verifies the
//! RSA signature with WebCrypto (RSASSA-PKCS1-v1_5 with SHA-256 over
//! `string_to_sign`, the key imported as "spki"), refuses an expired
//! certificate, records the MessageIds it has seen, and confirms a
//! subscription by GETting its SubscribeURL. The SES event inside a
//! Notification's `Message` is read by `super::events`.
//!
//! As AWS documents it ("Verifying the signatures of Amazon SNS messages",
//! <https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html>):
//! the string to sign is `key\nvalue\n` for each signed key in byte order,
//! Message, MessageId, Subject (when present), Timestamp, TopicArn, Type
//! for a Notification; Message, MessageId, SubscribeURL, Timestamp, Token,
//! TopicArn, Type for a SubscriptionConfirmation or UnsubscribeConfirmation.
//! Only SignatureVersion 2 (SHA256withRSA) is accepted: version 1 signs a
//! SHA-1 digest, and the topic can be set to 2 (`SetTopicAttributes`).
//!
//! Errors name the field, never its value: the body is not logged.

use super::der;
pub use super::der::{CertError, Certificate};
pub use super::sns_hosts::{cert_url_allowed, subscribe_url_allowed, topic_region};
use base64::Engine;
use serde_json::{Map, Value};

/// What kind of message it is, with what only that kind carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnsKind {
    /// A message published to the topic (for us, an SES event).
    Notification { subject: Option<String> },
    /// Sent once when the endpoint is subscribed: GET `subscribe_url` to
    /// confirm.
    SubscriptionConfirmation {
        subscribe_url: String,
        token: String,
    },
    /// Sent when the endpoint was unsubscribed (`subscribe_url` would
    /// subscribe it again).
    UnsubscribeConfirmation {
        subscribe_url: String,
        token: String,
    },
}

impl SnsKind {
    /// The `Type` it is sent as.
    pub fn name(&self) -> &'static str {
        match self {
            SnsKind::Notification { .. } => "Notification",
            SnsKind::SubscriptionConfirmation { .. } => "SubscriptionConfirmation",
            SnsKind::UnsubscribeConfirmation { .. } => "UnsubscribeConfirmation",
        }
    }
}

/// One SNS message, read but not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsMessage {
    pub kind: SnsKind,
    /// A UUID; the caller refuses one it has seen (replays).
    pub message_id: String,
    /// `arn:<partition>:sns:<region>:<account>:<name>`, checked in shape.
    pub topic_arn: String,
    /// The payload: an SES event's JSON for a Notification, a sentence
    /// for a confirmation.
    pub message: String,
    /// As sent (it is signed as sent), ISO 8601.
    pub timestamp: String,
    /// The same, in unix milliseconds.
    pub timestamp_millis: i64,
    /// The RSA signature, decoded from base64 (SignatureVersion 2).
    pub signature: Vec<u8>,
    /// Where the signing certificate is: check it with `cert_url_allowed`.
    pub signing_cert_url: String,
}

/// Why a message or certificate was refused, fit for a log line: it names
/// a field or a part, never a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnsError {
    /// The body is not JSON.
    NotJson,
    /// JSON, but not an object.
    NotAnObject,
    /// A `Type` that is none of the three: as found, cut to 24 ASCII
    /// letters and digits (`None` when it has none).
    UnknownType(Option<String>),
    /// This field is absent (or null), and the message's type needs it.
    Missing(&'static str),
    /// This field is there but is not a string.
    NotText(&'static str),
    /// This field is a string, but not of its shape (a MessageId that is
    /// not a UUID's letters, a TopicArn that is not an SNS topic's, a
    /// Timestamp that is not ISO 8601, a Signature that is not base64...).
    Malformed(&'static str),
    /// SignatureVersion 1: SHA1withRSA, refused.
    Sha1Refused,
    /// A SignatureVersion other than "1" or "2".
    UnknownSignatureVersion,
    /// SigningCertURL is not an SNS host's `.pem` over HTTPS.
    CertUrlRefused,
    /// SubscribeURL is not an SNS host's ConfirmSubscription link in the
    /// topic's region.
    SubscribeUrlRefused,
    /// The Timestamp is more than an hour old, or more than five minutes
    /// ahead (`fresh`).
    Stale,
    /// No `-----BEGIN CERTIFICATE-----` block with an end.
    NoCertificate,
    /// The block's base64 does not decode.
    BadPem,
    /// The DER inside could not be read.
    Certificate(CertError),
}

impl std::fmt::Display for SnsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnsError::NotJson => f.write_str("sns: not-json"),
            SnsError::NotAnObject => f.write_str("sns: not-an-object"),
            SnsError::UnknownType(Some(t)) => write!(f, "sns: unknown Type={t}"),
            SnsError::UnknownType(None) => f.write_str("sns: unknown Type"),
            SnsError::Missing(field) => write!(f, "sns: missing {field}"),
            SnsError::NotText(field) => write!(f, "sns: {field} is not a string"),
            SnsError::Malformed(field) => write!(f, "sns: malformed {field}"),
            SnsError::Sha1Refused => f.write_str("sns: SignatureVersion 1 (SHA1) refused"),
            SnsError::UnknownSignatureVersion => f.write_str("sns: unknown SignatureVersion"),
            SnsError::CertUrlRefused => f.write_str("sns: SigningCertURL refused"),
            SnsError::SubscribeUrlRefused => f.write_str("sns: SubscribeURL refused"),
            SnsError::Stale => f.write_str("sns: Timestamp out of the accepted window"),
            SnsError::NoCertificate => f.write_str("sns: certificate: no PEM CERTIFICATE block"),
            SnsError::BadPem => f.write_str("sns: certificate: bad base64"),
            SnsError::Certificate(e) => write!(f, "sns: certificate: {e}"),
        }
    }
}

impl From<CertError> for SnsError {
    fn from(e: CertError) -> Self {
        SnsError::Certificate(e)
    }
}

/// The longest signature read: 4096-bit RSA is 512 bytes.
const MAX_SIGNATURE: usize = 1024;

/// Reads an SNS message (the body of SNS's POST): its type, then its
/// signature version (only 2), then each field its type needs, each
/// checked in shape. Fields SNS adds later are ignored; `Subject` is read
/// for a Notification only, and a null one counts as absent.
pub fn read(body: &[u8]) -> Result<SnsMessage, SnsError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| SnsError::NotJson)?;
    let object = value.as_object().ok_or(SnsError::NotAnObject)?;
    let kind = text(object, "Type")?;
    if !matches!(
        kind,
        "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation"
    ) {
        let shown: String = kind
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect();
        return Err(SnsError::UnknownType((!shown.is_empty()).then_some(shown)));
    }
    match text(object, "SignatureVersion")? {
        "2" => {}
        "1" => return Err(SnsError::Sha1Refused),
        _ => return Err(SnsError::UnknownSignatureVersion),
    }

    let message_id = text(object, "MessageId")?;
    if message_id.is_empty()
        || message_id.len() > 128
        || !message_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(SnsError::Malformed("MessageId"));
    }
    let topic_arn = text(object, "TopicArn")?;
    if topic_region(topic_arn).is_none() {
        return Err(SnsError::Malformed("TopicArn"));
    }
    let message = text(object, "Message")?;
    let timestamp = text(object, "Timestamp")?;
    let timestamp_millis = utc_millis(timestamp).ok_or(SnsError::Malformed("Timestamp"))?;
    let signature = base64::engine::general_purpose::STANDARD
        .decode(text(object, "Signature")?)
        .ok()
        .filter(|s| !s.is_empty() && s.len() <= MAX_SIGNATURE)
        .ok_or(SnsError::Malformed("Signature"))?;
    let signing_cert_url = text(object, "SigningCertURL")?;

    let kind = if kind == "Notification" {
        let subject = match object.get("Subject") {
            None | Some(Value::Null) => None,
            Some(_) => Some(text(object, "Subject")?.to_string()),
        };
        SnsKind::Notification { subject }
    } else {
        let subscribe_url = text(object, "SubscribeURL")?.to_string();
        let token = text(object, "Token")?;
        if token.is_empty() || token.len() > 4096 || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(SnsError::Malformed("Token"));
        }
        let token = token.to_string();
        if kind == "SubscriptionConfirmation" {
            SnsKind::SubscriptionConfirmation {
                subscribe_url,
                token,
            }
        } else {
            SnsKind::UnsubscribeConfirmation {
                subscribe_url,
                token,
            }
        }
    };
    Ok(SnsMessage {
        kind,
        message_id: message_id.to_string(),
        topic_arn: topic_arn.to_string(),
        message: message.to_string(),
        timestamp: timestamp.to_string(),
        timestamp_millis,
        signature,
        signing_cert_url: signing_cert_url.to_string(),
    })
}

/// A string field: `Missing` when absent or null, `NotText` when another type.
fn text<'a>(object: &'a Map<String, Value>, key: &'static str) -> Result<&'a str, SnsError> {
    match object.get(key) {
        None | Some(Value::Null) => Err(SnsError::Missing(key)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(SnsError::NotText(key)),
    }
}

/// What the signature covers: each signed key and its value, in byte
/// order, each followed by a newline (the values as read: JSON escapes
/// undone).
pub fn string_to_sign(m: &SnsMessage) -> String {
    let mut out = String::with_capacity(m.message.len() + 256);
    let mut pair = |key: &str, value: &str| {
        out.push_str(key);
        out.push('\n');
        out.push_str(value);
        out.push('\n');
    };
    pair("Message", &m.message);
    pair("MessageId", &m.message_id);
    match &m.kind {
        SnsKind::Notification { subject } => {
            if let Some(subject) = subject {
                pair("Subject", subject);
            }
            pair("Timestamp", &m.timestamp);
        }
        SnsKind::SubscriptionConfirmation {
            subscribe_url,
            token,
        }
        | SnsKind::UnsubscribeConfirmation {
            subscribe_url,
            token,
        } => {
            pair("SubscribeURL", subscribe_url);
            pair("Timestamp", &m.timestamp);
            pair("Token", token);
        }
    }
    pair("TopicArn", &m.topic_arn);
    pair("Type", m.kind.name());
    out
}

/// How old a message may be: an hour.
pub const MAX_AGE_MILLIS: i64 = 3_600_000;
/// How far ahead of our clock a message may be: five minutes.
pub const MAX_AHEAD_MILLIS: i64 = 300_000;

/// A timestamp as SNS writes one, `2026-05-04T10:00:00.000Z` (UTC, `Z`,
/// a fraction of 0 to 9 digits), in unix milliseconds; `None` for any
/// other shape. Read by hand into chrono's date arithmetic: chrono's
/// general RFC 3339 parser cost the Worker several KiB (`make size`), for
/// a format SNS never varies.
pub fn utc_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b.len() > 30 || b[b.len() - 1] != b'Z' {
        return None;
    }
    let shape = b"dddd-dd-ddTdd:dd:dd";
    for (c, want) in b.iter().zip(shape) {
        if (*want == b'd' && !c.is_ascii_digit()) || (*want != b'd' && c != want) {
            return None;
        }
    }
    let fraction = &b[19..b.len() - 1];
    let millis = match fraction {
        [] => 0,
        [b'.', digits @ ..] if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) => {
            digits
                .iter()
                .chain(b"00")
                .take(3)
                .fold(0, |n, d| n * 10 + u32::from(d - b'0'))
        }
        _ => return None,
    };
    let n = |at: usize, len: usize| -> u32 {
        b[at..at + len]
            .iter()
            .fold(0, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let date = chrono::NaiveDate::from_ymd_opt(n(0, 4) as i32, n(5, 2), n(8, 2))?;
    let moment = date.and_hms_milli_opt(n(11, 2), n(14, 2), n(17, 2), millis)?;
    Some(moment.and_utc().timestamp_millis())
}

/// Whether a message stamped `timestamp_millis` is recent enough at
/// `now_millis` (at most an hour old, at most five minutes ahead). Older
/// ones are refused as replays: the caller keeps the MessageIds it has
/// seen for at least that hour.
pub fn fresh(timestamp_millis: i64, now_millis: i64) -> bool {
    let age = now_millis.saturating_sub(timestamp_millis);
    (-MAX_AHEAD_MILLIS..=MAX_AGE_MILLIS).contains(&age)
}

/// The checks on a read message that need neither the network nor the
/// key: its certificate's URL, its age, and a confirmation's SubscribeURL.
/// `local` is an origin (`http://127.0.0.1:<port>`) whose certificates and
/// confirmation links are taken besides SNS's own: a test build's stand-in
/// (`SNS_TEST_CERT_ORIGIN`), `None` anywhere else. What is left to the
/// caller: fetch the certificate, refuse it when expired, verify the
/// signature, refuse a MessageId seen before and a TopicArn it does not
/// expect.
pub fn admit(m: &SnsMessage, now_millis: i64, local: Option<&str>) -> Result<(), SnsError> {
    let at_local =
        |url: &str| local.is_some_and(|o| url.strip_prefix(o).is_some_and(|p| p.starts_with('/')));
    if !(cert_url_allowed(&m.signing_cert_url) || at_local(&m.signing_cert_url)) {
        return Err(SnsError::CertUrlRefused);
    }
    if !fresh(m.timestamp_millis, now_millis) {
        return Err(SnsError::Stale);
    }
    match &m.kind {
        SnsKind::Notification { .. } => Ok(()),
        SnsKind::SubscriptionConfirmation { subscribe_url, .. }
        | SnsKind::UnsubscribeConfirmation { subscribe_url, .. } => {
            if subscribe_url_allowed(subscribe_url, &m.topic_arn) || at_local(subscribe_url) {
                Ok(())
            } else {
                Err(SnsError::SubscribeUrlRefused)
            }
        }
    }
}

/// The first certificate of a PEM file: its key and its validity (refuse
/// it unless `valid_at` now).
pub fn certificate_from_pem(pem: &[u8]) -> Result<Certificate, SnsError> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let start = find(pem, BEGIN).ok_or(SnsError::NoCertificate)? + BEGIN.len();
    let len = find(&pem[start..], END).ok_or(SnsError::NoCertificate)?;
    let text: Vec<u8> = pem[start..start + len]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| SnsError::BadPem)?;
    Ok(der::certificate(&der)?)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
#[path = "../../tests/support/sns.rs"]
mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{sns_key, SnsFields, CERT_URL, SUBSCRIBE_URL, TOKEN, TOPIC_ARN};
    use super::*;

    /// The DER SubjectPublicKeyInfo of a PEM file's first certificate.
    fn spki_from_pem(pem: &[u8]) -> Result<Vec<u8>, SnsError> {
        certificate_from_pem(pem).map(|c| c.spki)
    }
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::sha2::Sha256;
    use rsa::signature::Verifier;
    use serde_json::json;

    const SENT: &str = "2026-05-04T10:00:00.000Z";

    fn millis(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    }

    /// What the Worker does with WebCrypto, done with the `rsa` crate: the
    /// key from the certificate, the signature over `string_to_sign`.
    fn verifies(body: &[u8]) -> Result<bool, SnsError> {
        let m = read(body)?;
        let spki = spki_from_pem(sns_key().pem.as_bytes())?;
        let key =
            VerifyingKey::<Sha256>::new(rsa::RsaPublicKey::from_public_key_der(&spki).unwrap());
        let Ok(signature) = Signature::try_from(m.signature.as_slice()) else {
            return Ok(false);
        };
        Ok(key
            .verify(string_to_sign(&m).as_bytes(), &signature)
            .is_ok())
    }

    #[test]
    fn timestamps_read_as_sns_writes_them_and_nothing_else() {
        for t in [
            SENT,
            "2026-05-04T10:00:00Z",
            "2026-05-04T10:00:00.5Z",
            "2026-05-04T10:00:00.123456789Z",
            "2024-02-29T23:59:59.999Z",
        ] {
            assert_eq!(utc_millis(t), Some(millis(t)), "{t}");
        }
        for t in [
            "2026-05-04T10:00:00.000+01:00",
            "2026-05-04 10:00:00Z",
            "2026-05-04T10:00:00.Z",
            "2026-5-04T10:00:00Z",
            "2025-02-29T10:00:00Z",
            "2026-05-04T24:00:00Z",
            "2026-05-04T10:00:00.00aZ",
            "",
            "２026-05-04T10:00:00Z",
        ] {
            assert_eq!(utc_millis(t), None, "{t}");
        }
    }

    #[test]
    fn a_notification_is_read_field_by_field() {
        let mut f = SnsFields::notification(r#"{"eventType":"Bounce"}"#, SENT);
        f.subject = Some("Amazon SES Email Event Notification".into());
        let m = read(f.body().as_bytes()).unwrap();
        assert_eq!(
            m.kind,
            SnsKind::Notification {
                subject: Some("Amazon SES Email Event Notification".into())
            }
        );
        assert_eq!(m.message_id, f.message_id);
        assert_eq!(m.topic_arn, TOPIC_ARN);
        assert_eq!(m.message, r#"{"eventType":"Bounce"}"#);
        assert_eq!(
            (m.timestamp.as_str(), m.timestamp_millis),
            (SENT, millis(SENT))
        );
        assert_eq!(m.signature.len(), 256);
        assert_eq!(m.signing_cert_url, CERT_URL);
        let mut v = f.signed();
        v["Subject"] = Value::Null;
        let m = read(v.to_string().as_bytes()).unwrap();
        assert_eq!(
            m.kind,
            SnsKind::Notification { subject: None },
            "a null Subject is none"
        );
    }

    #[test]
    fn confirmations_carry_their_link_and_token() {
        for kind in ["SubscriptionConfirmation", "UnsubscribeConfirmation"] {
            let f = SnsFields {
                kind,
                ..SnsFields::confirmation(SENT)
            };
            let m = read(f.body().as_bytes()).unwrap();
            let (url, token) = match &m.kind {
                SnsKind::SubscriptionConfirmation {
                    subscribe_url,
                    token,
                }
                | SnsKind::UnsubscribeConfirmation {
                    subscribe_url,
                    token,
                } => (subscribe_url, token),
                SnsKind::Notification { .. } => panic!("{kind}"),
            };
            assert_eq!(
                (m.kind.name(), url.as_str(), token.as_str()),
                (kind, SUBSCRIBE_URL, TOKEN)
            );
            assert_eq!(string_to_sign(&m), f.string_to_sign());
            assert_eq!(admit(&m, millis(SENT), None), Ok(()));
        }
    }

    #[test]
    fn the_string_to_sign_is_the_documented_one() {
        // AWS's own example of a Notification's string to sign.
        let mut f = SnsFields::notification("My Test Message", "2019-01-31T04:37:04.321Z");
        f.message_id = "4d4dc071-ddbf-465d-bba8-08f81c89da64".into();
        f.subject = Some("My subject".into());
        f.topic_arn = "arn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P".into();
        let m = read(f.body().as_bytes()).unwrap();
        assert_eq!(
            string_to_sign(&m),
            "Message\nMy Test Message\nMessageId\n4d4dc071-ddbf-465d-bba8-08f81c89da64\n\
             Subject\nMy subject\nTimestamp\n2019-01-31T04:37:04.321Z\n\
             TopicArn\narn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P\n\
             Type\nNotification\n"
        );
        f.subject = None;
        let m = read(f.body().as_bytes()).unwrap();
        assert!(!string_to_sign(&m).contains("Subject"));
        assert_eq!(string_to_sign(&m), f.string_to_sign());
        // JSON escapes are undone: the message is signed as it was published.
        let f = SnsFields::notification("line one\nline \"two\"\t\u{e9}", SENT);
        assert!(f.body().contains(r#"line one\nline \"two\"\t"#));
        let m = read(f.body().as_bytes()).unwrap();
        assert!(
            string_to_sign(&m).starts_with("Message\nline one\nline \"two\"\t\u{e9}\nMessageId\n")
        );
    }

    #[test]
    fn a_signed_notification_verifies_and_a_changed_one_does_not() {
        let mut f = SnsFields::notification(r#"{"eventType":"Complaint"}"#, SENT);
        f.subject = Some("Amazon SES Email Event Notification".into());
        let signed = f.signed();
        assert_eq!(verifies(signed.to_string().as_bytes()), Ok(true));

        let changed = |key: &str, value: Value| {
            let mut v = signed.clone();
            v[key] = value;
            verifies(v.to_string().as_bytes())
        };
        assert_eq!(
            changed("Message", r#"{"eventType":"Bounce"}"#.into()),
            Ok(false)
        );
        assert_eq!(changed("Subject", "Another subject".into()), Ok(false));
        assert_eq!(
            changed("Subject", Value::Null),
            Ok(false),
            "a subject dropped"
        );
        assert_eq!(
            changed("Timestamp", "2026-05-04T10:00:01.000Z".into()),
            Ok(false)
        );
        assert_eq!(
            changed(
                "TopicArn",
                "arn:aws:sns:eu-west-1:123456789012:other".into()
            ),
            Ok(false)
        );
        assert_eq!(
            changed("Type", "SubscriptionConfirmation".into()),
            Err(SnsError::Missing("SubscribeURL"))
        );
        assert_eq!(
            changed("SignatureVersion", "1".into()),
            Err(SnsError::Sha1Refused)
        );
        assert_eq!(
            changed("Signature", Value::Null),
            Err(SnsError::Missing("Signature"))
        );
        assert_eq!(
            changed("Signature", "".into()),
            Err(SnsError::Malformed("Signature"))
        );
        let mut sig = read(signed.to_string().as_bytes()).unwrap().signature;
        sig[100] ^= 1;
        use base64::Engine;
        let flipped = base64::engine::general_purpose::STANDARD.encode(&sig);
        assert_eq!(changed("Signature", flipped.into()), Ok(false));
        // A subject added to a message signed without one.
        let plain = SnsFields::notification("hello", SENT).signed();
        let mut v = plain.clone();
        v["Subject"] = "added".into();
        assert_eq!(verifies(plain.to_string().as_bytes()), Ok(true));
        assert_eq!(verifies(v.to_string().as_bytes()), Ok(false));
    }

    #[test]
    fn the_certificate_gives_the_key_it_was_made_around() {
        let key = sns_key();
        let c = certificate_from_pem(key.pem.as_bytes()).unwrap();
        assert_eq!(c.spki, key.spki);
        assert_eq!(c.not_before_millis, millis("2024-01-01T00:00:00Z"));
        assert_eq!(c.not_after_millis, millis("2049-12-31T23:59:59Z"));
        assert!(c.valid_at(millis(SENT)));
        assert_eq!(spki_from_pem(key.pem.as_bytes()).unwrap(), key.spki);
        // CRLF line ends, text before and a second certificate after.
        let other = super::testing::pem(&super::testing::certificate(
            &[0x30, 0],
            b"250101000000Z",
            b"20491231235959Z",
        ));
        let crlf = format!(
            "subject=CN = sns.amazonaws.com\r\n{}{other}",
            key.pem.replace('\n', "\r\n")
        );
        assert_eq!(spki_from_pem(crlf.as_bytes()).unwrap(), key.spki);
        // An expired one is read, and says so.
        let old = super::testing::certificate(&key.spki, b"150101000000Z", b"20200101000000Z");
        let c = certificate_from_pem(super::testing::pem(&old).as_bytes()).unwrap();
        assert!(!c.valid_at(millis(SENT)));
    }

    #[test]
    fn what_is_not_a_certificate_is_refused() {
        let pem = &sns_key().pem;
        let body = pem.lines().nth(1).unwrap();
        let cases: Vec<(String, SnsError)> = vec![
            (String::new(), SnsError::NoCertificate),
            (
                pem.replace("-----END CERTIFICATE-----", ""),
                SnsError::NoCertificate,
            ),
            (
                pem.replace("BEGIN CERTIFICATE", "BEGIN PUBLIC KEY"),
                SnsError::NoCertificate,
            ),
            (
                pem.replacen(body, &format!("*{}", &body[1..]), 1),
                SnsError::BadPem,
            ),
            (
                "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----".into(),
                SnsError::Certificate(CertError::Malformed("tbsCertificate")),
            ),
        ];
        for (pem, expected) in cases {
            assert_eq!(spki_from_pem(pem.as_bytes()), Err(expected));
        }
        assert_eq!(
            spki_from_pem(&[0xff, 0xfe, 0x00]),
            Err(SnsError::NoCertificate)
        );
    }

    #[test]
    fn every_missing_or_malformed_field_is_named() {
        let good = SnsFields::notification("hi", SENT).signed();
        let with = |key: &str, value: Value| {
            let mut v = good.clone();
            v[key] = value;
            read(v.to_string().as_bytes()).map(|_| ())
        };
        let without = |key: &str| {
            let mut v = good.clone();
            v.as_object_mut().unwrap().remove(key);
            read(v.to_string().as_bytes()).map(|_| ())
        };
        for key in [
            "Type",
            "SignatureVersion",
            "MessageId",
            "TopicArn",
            "Message",
            "Timestamp",
            "Signature",
            "SigningCertURL",
        ] {
            assert_eq!(without(key), Err(SnsError::Missing(key)), "{key}");
            assert_eq!(with(key, json!(12)), Err(SnsError::NotText(key)), "{key}");
        }
        assert_eq!(
            with("Subject", json!(["x"])),
            Err(SnsError::NotText("Subject"))
        );
        assert_eq!(without("UnsubscribeURL"), Ok(()), "not signed, not needed");
        let malformed = [
            ("MessageId", ""),
            ("MessageId", "4d4dc071 ddbf"),
            ("MessageId", "4d4dc071\nddbf"),
            ("TopicArn", "arn:aws:sqs:eu-west-1:123456789012:queue"),
            ("TopicArn", "arn:aws:sns:eu-west-1:1234:topic"),
            ("TopicArn", "arn:aws-cn:sns:eu-west-1:123456789012:topic"),
            ("TopicArn", "arn:aws:sns:eu-west-1:123456789012:"),
            ("TopicArn", "arn:aws:sns:eu-west-1:123456789012:a\nb"),
            ("Timestamp", "2026-05-04 10:00"),
            ("Timestamp", "yesterday"),
            ("Signature", "not base64!"),
        ];
        for (key, value) in malformed {
            assert_eq!(
                with(key, value.into()),
                Err(SnsError::Malformed(key)),
                "{key}={value:?}"
            );
        }
        assert_eq!(
            with("Signature", "QUFB".repeat(400).into()),
            Err(SnsError::Malformed("Signature"))
        );
        assert_eq!(
            with("SignatureVersion", "3".into()),
            Err(SnsError::UnknownSignatureVersion)
        );
        assert_eq!(
            with("Type", "Subscription Confirmation!".into()),
            Err(SnsError::UnknownType(Some(
                "SubscriptionConfirmation".into()
            )))
        );
        assert_eq!(with("Type", "".into()), Err(SnsError::UnknownType(None)));
        assert_eq!(read(b"{"), Err(SnsError::NotJson));
        assert_eq!(read(b"[]"), Err(SnsError::NotAnObject));

        let confirmation = SnsFields::confirmation(SENT).signed();
        for key in ["SubscribeURL", "Token"] {
            let mut v = confirmation.clone();
            v.as_object_mut().unwrap().remove(key);
            assert_eq!(read(v.to_string().as_bytes()), Err(SnsError::Missing(key)));
        }
        let mut v = confirmation.clone();
        v["Token"] = "a b".into();
        assert_eq!(
            read(v.to_string().as_bytes()),
            Err(SnsError::Malformed("Token"))
        );
    }

    #[test]
    fn errors_never_show_the_body() {
        let mut v = SnsFields::notification("jane@example.com", SENT).signed();
        v["Timestamp"] = "jane@example.com".into();
        let e = read(v.to_string().as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), "sns: malformed Timestamp");
        v["Type"] = "jane@example.com".into();
        let e = read(v.to_string().as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), "sns: unknown Type=janeexamplecom");
    }

    #[test]
    fn certificate_urls() {
        let allowed = [
            CERT_URL,
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem",
            "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-a.pem",
            "https://sns.ap-southeast-4.amazonaws.com/x.pem",
            "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-b.pem",
            "https://sns.cn-northwest-1.amazonaws.com.cn/a/b.pem",
        ];
        for url in allowed {
            assert!(cert_url_allowed(url), "{url}");
        }
        let refused = [
            "http://sns.us-east-1.amazonaws.com/x.pem",
            "HTTPS://sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com.evil.org/x.pem",
            "https://evil.org/sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.amazonaws.com@evil.org/x.pem",
            "https://sns.us-east-1.amazonaws.com@evil.org/x.pem",
            "https://evil.org@sns.us-east-1.amazonaws.com/x.pem",
            "https://user:pw@sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com:443/x.pem",
            "https://sns.us-east-1.amazonaws.com./x.pem",
            "https://SNS.US-EAST-1.AMAZONAWS.COM/x.pem",
            "https://sns.amazonaws.com/x.pem",
            "https://sns..amazonaws.com/x.pem",
            "https://sns.evil.amazonaws.com/x.pem",
            "https://sns.us-east-1.evil.amazonaws.com/x.pem",
            "https://evilsns.us-east-1.amazonaws.com/x.pem",
            "https://sqs.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com.cn/x.pem",
            "https://sns.cn-north-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com/x.pem?y",
            "https://sns.us-east-1.amazonaws.com/x.pem#y",
            "https://sns.us-east-1.amazonaws.com/x.pem.txt",
            "https://sns.us-east-1.amazonaws.com/x.txt",
            "https://sns.us-east-1.amazonaws.com/.pem",
            "https://sns.us-east-1.amazonaws.com/../x.pem",
            "https://sns.us-east-1.amazonaws.com//evil.org/x.pem",
            "https://sns.us-east-1.amazonaws.com/%2e%2e/x.pem",
            "https://sns.us-east-1.amazonaws.com\\@evil.org/x.pem",
            "https://sns.us-east-1.amazonaws.com",
            "https://sns.us-east-1.amazonaws.com?x.pem",
            " https://sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com/x .pem",
            "https://sns.us-east-1x.amazonaws.com/x.pem",
            "https://sns.us-east-123.amazonaws.com/x.pem",
            "https://sns.u-east-1.amazonaws.com/x.pem",
            "https://sns.us-1.amazonaws.com/x.pem",
            "",
        ];
        for url in refused {
            assert!(!cert_url_allowed(url), "{url}");
        }
    }

    #[test]
    fn subscribe_urls_in_the_topics_region_only() {
        let cn_topic = "arn:aws-cn:sns:cn-north-1:123456789012:alerts";
        let cases = [
            (SUBSCRIBE_URL, TOPIC_ARN, true),
            ("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=1", TOPIC_ARN, true),
            ("https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription&Token=1", cn_topic, true),
            ("https://sns.eu-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=1", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=1", "not an arn", false),
            ("https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&Token=1", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com/?XAction=ConfirmSubscription", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription#x", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&a=<b>", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com/x?Action=ConfirmSubscription", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com/", TOPIC_ARN, false),
            ("http://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com.evil.org/?Action=ConfirmSubscription", TOPIC_ARN, false),
            ("https://sns.amazonaws.com@evil.org/?Action=ConfirmSubscription", TOPIC_ARN, false),
            ("https://evil.org/sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription", TOPIC_ARN, false),
            ("https://sns.eu-west-1.amazonaws.com:8443/?Action=ConfirmSubscription", TOPIC_ARN, false),
        ];
        for (url, topic, expected) in cases {
            assert_eq!(
                subscribe_url_allowed(url, topic),
                expected,
                "{url} for {topic}"
            );
        }
    }

    #[test]
    fn topic_arns_and_their_regions() {
        assert_eq!(topic_region(TOPIC_ARN), Some("eu-west-1"));
        assert_eq!(
            topic_region("arn:aws:sns:us-east-2:123456789012:events.fifo"),
            Some("us-east-2")
        );
        assert_eq!(
            topic_region("arn:aws-us-gov:sns:us-gov-west-1:123456789012:t"),
            Some("us-gov-west-1")
        );
        assert_eq!(
            topic_region("arn:aws-cn:sns:cn-north-1:123456789012:t"),
            Some("cn-north-1")
        );
        for bad in [
            "arn:aws:sns:us-gov-west-1:123456789012:t",
            "arn:aws:sns:cn-north-1:123456789012:t",
            "arn:aws:sns:us-east-2:12345678901a:t",
            "arn:aws:sns:us-east-2:123456789012:t:u",
            "arn:aws:sns:us-east-2:123456789012",
            "arn:aws:sns:US-EAST-2:123456789012:t",
            "",
        ] {
            assert_eq!(topic_region(bad), None, "{bad}");
        }
    }

    #[test]
    fn fresh_for_an_hour_and_five_minutes_ahead() {
        let t = millis(SENT);
        assert!(fresh(t, t));
        assert!(fresh(t, t + MAX_AGE_MILLIS));
        assert!(!fresh(t, t + MAX_AGE_MILLIS + 1));
        assert!(fresh(t, t - MAX_AHEAD_MILLIS));
        assert!(!fresh(t, t - MAX_AHEAD_MILLIS - 1));
        assert!(!fresh(i64::MIN, i64::MAX) && !fresh(i64::MAX, i64::MIN));
    }

    #[test]
    fn admit_checks_the_url_the_age_and_the_link() {
        let now = millis(SENT);
        let m = read(SnsFields::notification("hi", SENT).body().as_bytes()).unwrap();
        assert_eq!(admit(&m, now, None), Ok(()));
        assert_eq!(
            admit(&m, now + 2 * MAX_AGE_MILLIS, None),
            Err(SnsError::Stale)
        );
        let evil = SnsMessage {
            signing_cert_url: "https://sns.eu-west-1.amazonaws.com.evil.org/x.pem".into(),
            ..m.clone()
        };
        assert_eq!(admit(&evil, now, None), Err(SnsError::CertUrlRefused));
        // A test build's local origin, and only at a path under it.
        let mut local = m.clone();
        local.signing_cert_url = "http://127.0.0.1:9000/cert.pem".into();
        assert_eq!(admit(&local, now, None), Err(SnsError::CertUrlRefused));
        assert_eq!(admit(&local, now, Some("http://127.0.0.1:9000")), Ok(()));
        local.signing_cert_url = "http://127.0.0.1:90001/cert.pem".into();
        assert_eq!(
            admit(&local, now, Some("http://127.0.0.1:9000")),
            Err(SnsError::CertUrlRefused)
        );
        let f = SnsFields {
            subscribe_url: Some(
                "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription".into(),
            ),
            ..SnsFields::confirmation(SENT)
        };
        let m = read(f.body().as_bytes()).unwrap();
        assert_eq!(admit(&m, now, None), Err(SnsError::SubscribeUrlRefused));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_input_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300), text in "\\PC{0,120}") {
            let _ = read(&bytes);
            let _ = spki_from_pem(&bytes);
            use base64::Engine;
            let wrapped = format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                base64::engine::general_purpose::STANDARD.encode(&bytes)
            );
            let _ = spki_from_pem(wrapped.as_bytes());
            let _ = cert_url_allowed(&text);
            let _ = subscribe_url_allowed(&text, &text);
            let _ = topic_region(&text);
            let _ = read(text.as_bytes());
        }
    }
}
