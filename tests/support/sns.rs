//! SNS messages signed the way Amazon SNS signs them, for tests: one RSA
//! key (made once per test process), a certificate around it as SNS
//! serves one (PEM; its own signature is filler, since nothing checks the
//! chain: trust comes from fetching it over HTTPS from an SNS host), and
//! message bodies signed with SignatureVersion 2 (PKCS#1 v1.5, SHA-256).
//!
//! The string to sign is written here again, from AWS's documentation,
//! rather than taken from the crate, so the tests compare two readings of
//! it. Nothing here uses the crate: the library's unit tests include this
//! file (`src/mail/sns.rs`, `#[path = "../../tests/support/sns.rs"]`) and
//! so can an integration test target (`tests/app/main.rs`:
//! `#[path = "../support/sns.rs"] mod sns_support;`).
#![allow(dead_code)]

use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer as _};
use rsa::RsaPrivateKey;
use std::sync::OnceLock;

/// The topic the test messages come from.
pub const TOPIC_ARN: &str = "arn:aws:sns:eu-west-1:123456789012:access-alerts-ses-events";
/// Where the test certificate is said to be.
pub const CERT_URL: &str =
    "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem";
/// A confirmation's link, as SNS writes one.
pub const SUBSCRIBE_URL: &str = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:access-alerts-ses-events&Token=2336412f37fb687f5d51e6e2425c464de12884a7d4ea1d2d7ac9d3d5c3b0e8e3";
/// A confirmation's token.
pub const TOKEN: &str = "2336412f37fb687f5d51e6e2425c464de12884a7d4ea1d2d7ac9d3d5c3b0e8e3";

/// The key, its SubjectPublicKeyInfo, and its certificate.
pub struct SnsKey {
    pub key: RsaPrivateKey,
    /// The DER SubjectPublicKeyInfo, as the `rsa` crate writes it.
    pub spki: Vec<u8>,
    /// The certificate (valid from 2024-01-01 to 2049-12-31), PEM.
    pub pem: String,
}

/// The one test key (2048 bits, as SNS's), made on first use.
pub fn sns_key() -> &'static SnsKey {
    static KEY: OnceLock<SnsKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("an RSA key");
        let spki = key
            .to_public_key()
            .to_public_key_der()
            .expect("its SPKI")
            .as_bytes()
            .to_vec();
        let pem = pem(&certificate(&spki, b"240101000000Z", b"20491231235959Z"));
        SnsKey { key, spki, pem }
    })
}

/// One DER element; lengths in short or long form.
pub fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend(value);
    out
}

/// An X.509 v3 certificate's DER around `spki`, valid from `not_before`
/// (UTCTime, `YYMMDDHHMMSSZ`) to `not_after` (GeneralizedTime,
/// `YYYYMMDDHHMMSSZ`), issued by and to `sns.amazonaws.com`, with a
/// signature of zeros.
pub fn certificate(spki: &[u8], not_before: &[u8], not_after: &[u8]) -> Vec<u8> {
    // sha256WithRSAEncryption, NULL parameters
    let algorithm = tlv(
        0x30,
        &[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
            ),
            tlv(0x05, &[]),
        ]
        .concat(),
    );
    // CN=sns.amazonaws.com
    let name = tlv(
        0x30,
        &tlv(
            0x31,
            &tlv(
                0x30,
                &[
                    tlv(0x06, &[0x55, 0x04, 0x03]),
                    tlv(0x0c, b"sns.amazonaws.com"),
                ]
                .concat(),
            ),
        ),
    );
    let validity = tlv(
        0x30,
        &[tlv(0x17, not_before), tlv(0x18, not_after)].concat(),
    );
    let tbs = tlv(
        0x30,
        &[
            tlv(0xa0, &tlv(0x02, &[2])),
            tlv(0x02, &[0x01, 0x23, 0x45, 0x67]),
            algorithm.clone(),
            name.clone(),
            validity,
            name,
            spki.to_vec(),
        ]
        .concat(),
    );
    let signature = tlv(0x03, &[[0u8].as_slice(), &[0u8; 256]].concat());
    tlv(0x30, &[tbs, algorithm, signature].concat())
}

/// A DER certificate as PEM, in lines of 64 as OpenSSL writes them.
pub fn pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The fields of one SNS message, before signing.
#[derive(Debug, Clone)]
pub struct SnsFields {
    /// `Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`.
    pub kind: &'static str,
    pub message_id: String,
    pub topic_arn: String,
    pub subject: Option<String>,
    pub message: String,
    pub timestamp: String,
    pub subscribe_url: Option<String>,
    pub token: Option<String>,
    pub signature_version: &'static str,
    pub cert_url: String,
}

impl SnsFields {
    /// A Notification carrying `message` (an SES event's JSON), sent at
    /// `timestamp` (ISO 8601), without a subject.
    pub fn notification(message: &str, timestamp: &str) -> Self {
        SnsFields {
            kind: "Notification",
            message_id: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324".into(),
            topic_arn: TOPIC_ARN.into(),
            subject: None,
            message: message.into(),
            timestamp: timestamp.into(),
            subscribe_url: None,
            token: None,
            signature_version: "2",
            cert_url: CERT_URL.into(),
        }
    }

    /// A SubscriptionConfirmation (or, with `kind` changed, an
    /// UnsubscribeConfirmation) sent at `timestamp`.
    pub fn confirmation(timestamp: &str) -> Self {
        SnsFields {
            kind: "SubscriptionConfirmation",
            message_id: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b".into(),
            message: format!(
                "You have chosen to subscribe to the topic {TOPIC_ARN}.\nTo confirm the subscription, visit the SubscribeURL included in this message."
            ),
            subscribe_url: Some(SUBSCRIBE_URL.into()),
            token: Some(TOKEN.into()),
            ..SnsFields::notification("", timestamp)
        }
    }

    /// The string to sign, as AWS documents it: `key\nvalue\n` for each
    /// key it lists for the type, in that (byte) order.
    pub fn string_to_sign(&self) -> String {
        let mut pairs = vec![
            ("Message", self.message.as_str()),
            ("MessageId", &self.message_id),
        ];
        if self.kind == "Notification" {
            if let Some(subject) = &self.subject {
                pairs.push(("Subject", subject));
            }
            pairs.push(("Timestamp", &self.timestamp));
        } else {
            pairs.push(("SubscribeURL", self.subscribe_url.as_deref().unwrap_or("")));
            pairs.push(("Timestamp", &self.timestamp));
            pairs.push(("Token", self.token.as_deref().unwrap_or("")));
        }
        pairs.push(("TopicArn", &self.topic_arn));
        pairs.push(("Type", self.kind));
        pairs.iter().map(|(k, v)| format!("{k}\n{v}\n")).collect()
    }

    /// The message as SNS posts it, signed with the test key (tests
    /// change it afterwards to see the signature fail).
    pub fn signed(&self) -> serde_json::Value {
        let signing = SigningKey::<Sha256>::new(sns_key().key.clone());
        let signature = signing.sign(self.string_to_sign().as_bytes()).to_vec();
        let mut v = serde_json::json!({
            "Type": self.kind,
            "MessageId": self.message_id,
            "TopicArn": self.topic_arn,
            "Message": self.message,
            "Timestamp": self.timestamp,
            "SignatureVersion": self.signature_version,
            "Signature": base64::engine::general_purpose::STANDARD.encode(signature),
            "SigningCertURL": self.cert_url,
        });
        if self.kind == "Notification" {
            v["UnsubscribeURL"] = format!(
                "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={}:0b6941a5-6ab5-4a0c-9fcd-6e4b4bc9e3d2",
                self.topic_arn
            )
            .into();
            if let Some(subject) = &self.subject {
                v["Subject"] = subject.as_str().into();
            }
        } else {
            v["SubscribeURL"] = self.subscribe_url.as_deref().into();
            v["Token"] = self.token.as_deref().into();
        }
        v
    }

    /// The signed message's body.
    pub fn body(&self) -> String {
        self.signed().to_string()
    }
}
