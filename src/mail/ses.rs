//! Amazon SES (API v2) `SendEmail` with a raw MIME message, the parts
//! that are plain Rust: the signed request (`send_raw`, signed by
//! `super::sigv4`) and what SES's answer means (`read_reply`). The request
//! goes out through the runtime's fetch; the time comes from the caller.

use super::sigv4::{self, Signer};
use base64::Engine as _;
use std::fmt;

/// The path of SES v2's `SendEmail`.
pub const SEND_EMAIL_PATH: &str = "/v2/email/outbound-emails";

/// Where and as whom to call SES. Holds the secret: its `Debug` leaves it
/// (and the session token) out.
#[derive(Clone)]
pub struct SesConfig {
    /// `https://email.eu-west-1.amazonaws.com` (`endpoint_for`), or a local
    /// stand-in such as `http://127.0.0.1:8005`.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Temporary credentials' token, sent and signed when present.
    pub session_token: Option<String>,
    /// The SES configuration set each message is sent under, if any.
    pub configuration_set: Option<String>,
}

impl SesConfig {
    /// SES's public endpoint in `region` (`eu-west-1`).
    pub fn endpoint_for(region: &str) -> String {
        format!("https://email.{region}.amazonaws.com")
    }
}

impl fmt::Debug for SesConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SesConfig")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("configuration_set", &self.configuration_set)
            .finish_non_exhaustive()
    }
}

/// A request ready to send, signed. `headers` holds `Host` (signed, from
/// the URL), which an HTTP client may write itself instead.
pub struct SignedRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Method, URL and header names only: the headers hold the signature and
/// the token, the body the recipient.
impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// `SendEmail` of the message `raw` (MIME, headers and all) from `from`
/// to `to`, signed for service `ses` at `amz_date` (`sigv4::amz_date`).
pub fn send_raw(cfg: &SesConfig, from: &str, to: &str, raw: &str, amz_date: &str) -> SignedRequest {
    let url = format!("{}{SEND_EMAIL_PATH}", cfg.endpoint.trim_end_matches('/'));
    let body = send_body(from, to, raw, cfg.configuration_set.as_deref()).into_bytes();
    let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    let signer = Signer {
        access_key_id: &cfg.access_key_id,
        secret_access_key: &cfg.secret_access_key,
        session_token: cfg.session_token.as_deref(),
        region: &cfg.region,
        service: "ses",
        amz_date,
        content_sha256: false,
    };
    let signature = signer.sign("POST", &url, &headers, &body);
    headers.insert(0, ("Host".to_string(), sigv4::host(&url).to_string()));
    headers.extend(
        signature
            .headers
            .into_iter()
            .map(|(n, v)| (n.to_string(), v)),
    );
    SignedRequest {
        method: "POST",
        url,
        headers,
        body,
    }
}

/// The JSON of `SendEmail`, written by hand (no derive in the wasm); the
/// configuration set is left out when there is none (or it is blank).
fn send_body(from: &str, to: &str, raw: &str, configuration_set: Option<&str>) -> String {
    let text = |s: &str| serde_json::to_string(s).expect("a string always serializes");
    let data = base64::engine::general_purpose::STANDARD.encode(raw);
    let mut body = format!(
        r#"{{"FromEmailAddress":{},"Destination":{{"ToAddresses":[{}]}},"Content":{{"Raw":{{"Data":"{data}"}}}}"#,
        text(from),
        text(to)
    );
    if let Some(set) = configuration_set.filter(|s| !s.trim().is_empty()) {
        body.push_str(r#","ConfigurationSetName":"#);
        body.push_str(&text(set));
    }
    body.push('}');
    body
}

/// What SES's answer to `SendEmail` means for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SesReply {
    /// Accepted (2xx with a `MessageId`).
    Sent { message_id: String },
    /// Too fast (429, or a throttling error type): try again later.
    Throttled,
    /// Refused (4xx): `kind` is SES's error type, or `Http<status>`.
    Rejected { kind: String },
    /// SES failed (5xx, anything else, or an answer that can't be read).
    Failed { kind: String },
}

/// Error types that mean "slow down", whatever the status.
const THROTTLING: [&str; 4] = [
    "TooManyRequestsException",
    "ThrottlingException",
    "LimitExceededException",
    "Throttling",
];

/// Reads SES's answer: its status and body. The error type comes from the
/// body's `__type`, `code` or `Code` (the first there is); a `kind` only
/// ever holds an error type's name (ASCII letters and digits) or
/// `Http<status>`, never the message beside it, which may quote an
/// address.
pub fn read_reply(status: u16, body: &[u8]) -> SesReply {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| json.as_ref()?.get(name)?.as_str();
    if (200..300).contains(&status) {
        return match field("MessageId").filter(|id| !id.is_empty()) {
            Some(id) => SesReply::Sent {
                message_id: id.to_string(),
            },
            None => SesReply::Failed {
                kind: "UnreadableReply".into(),
            },
        };
    }
    let kind = ["__type", "code", "Code"]
        .into_iter()
        .find_map(field)
        .and_then(error_type)
        .unwrap_or_else(|| format!("Http{status}"));
    if status == 429 || THROTTLING.contains(&kind.as_str()) {
        SesReply::Throttled
    } else if (400..500).contains(&status) {
        SesReply::Rejected { kind }
    } else {
        SesReply::Failed { kind }
    }
}

/// An error type's name as AWS may write it (`MessageRejected`,
/// `com.amazonaws.ses#MessageRejected`, `MessageRejected:http://...`):
/// the name alone, if it is 1 to 64 ASCII letters and digits. Anything
/// else is not an error type, and is dropped whole rather than cleaned,
/// so that no part of an address can come through.
fn error_type(raw: &str) -> Option<String> {
    let raw = raw.split(':').next().unwrap_or_default();
    let name = raw.rsplit('#').next().unwrap_or_default();
    let valid = (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric());
    valid.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const DATE: &str = "20260102T030405Z";

    fn config(endpoint: &str) -> SesConfig {
        SesConfig {
            endpoint: endpoint.to_string(),
            region: "eu-west-1".into(),
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            configuration_set: Some("alerts".into()),
        }
    }

    fn header<'r>(request: &'r SignedRequest, name: &str) -> Option<&'r str> {
        request
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn body_json(request: &SignedRequest) -> Value {
        serde_json::from_slice(&request.body).unwrap()
    }

    #[test]
    fn the_body_carries_the_raw_message_byte_for_byte() {
        let from = r#""Policy \"Alerts\"" <alerts@example.org>"#;
        let raw = "From: alerts@example.org\r\nSubject: =?utf-8?q?Caf=C3=A9?=\r\n\r\n\
                   Quotes \" and \\ and caf\u{e9}, a line\nand a last one\r\n";
        let request = send_raw(
            &config(&SesConfig::endpoint_for("eu-west-1")),
            from,
            "reader@example.net",
            raw,
            DATE,
        );
        let body = body_json(&request);
        let data = body["Content"]["Raw"]["Data"].as_str().unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        assert_eq!(decoded, raw.as_bytes());
        assert_eq!(
            body,
            json!({
                "FromEmailAddress": from,
                "Destination": {"ToAddresses": ["reader@example.net"]},
                "Content": {"Raw": {"Data": data}},
                "ConfigurationSetName": "alerts",
            })
        );

        for set in [None, Some(""), Some("  ")] {
            let cfg = SesConfig {
                configuration_set: set.map(String::from),
                ..config("http://127.0.0.1:8005")
            };
            let body = body_json(&send_raw(&cfg, from, "reader@example.net", raw, DATE));
            assert_eq!(body.as_object().unwrap().len(), 3, "{set:?}");
            assert!(body.get("ConfigurationSetName").is_none(), "{set:?}");
        }
    }

    #[test]
    fn the_url_and_host_follow_the_endpoint_port_and_all() {
        assert_eq!(
            SesConfig::endpoint_for("eu-west-1"),
            "https://email.eu-west-1.amazonaws.com"
        );
        let cases = [
            (
                "https://email.eu-west-1.amazonaws.com",
                "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails",
                "email.eu-west-1.amazonaws.com",
            ),
            (
                "http://127.0.0.1:8005/",
                "http://127.0.0.1:8005/v2/email/outbound-emails",
                "127.0.0.1:8005",
            ),
        ];
        for (endpoint, url, host) in cases {
            let request = send_raw(
                &config(endpoint),
                "a@example.org",
                "b@example.net",
                "x",
                DATE,
            );
            assert_eq!((request.method, request.url.as_str()), ("POST", url));
            assert_eq!(header(&request, "Host"), Some(host));
            assert_eq!(header(&request, "Content-Type"), Some("application/json"));
            assert_eq!(header(&request, "X-Amz-Date"), Some(DATE));
            assert_eq!(header(&request, "X-Amz-Security-Token"), None);
            let names: Vec<&str> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                names,
                ["Host", "Content-Type", "X-Amz-Date", "Authorization"]
            );
        }
    }

    #[test]
    fn a_session_token_is_sent_and_signed() {
        let cfg = SesConfig {
            session_token: Some("TOKEN".into()),
            ..config(&SesConfig::endpoint_for("eu-west-1"))
        };
        let request = send_raw(&cfg, "a@example.org", "b@example.net", "x", DATE);
        assert_eq!(header(&request, "X-Amz-Security-Token"), Some("TOKEN"));
        assert!(header(&request, "Authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
    }

    /// Both signatures are what botocore 1.43.11's `SigV4Auth` gives for
    /// the same body, URL, credentials and time.
    #[test]
    fn the_signature_of_a_fixed_input_does_not_change() {
        let raw = "Subject: Hi\r\n\r\nHello\r\n";
        let cases = [
            (
                SesConfig::endpoint_for("eu-west-1"),
                "250da21634fb15eccd7a43813b663afb0d76a078ca9afde0f071689ffce118c1",
            ),
            (
                "http://127.0.0.1:8005".to_string(),
                "049610703b84503fa4e5321d2a6f172c295d43424b846cc6ae7d09d9a3e4a00c",
            ),
        ];
        for (endpoint, signature) in cases {
            let request = send_raw(
                &config(&endpoint),
                "alerts@example.org",
                "reader@example.net",
                raw,
                DATE,
            );
            assert_eq!(
                String::from_utf8(request.body).unwrap(),
                r#"{"FromEmailAddress":"alerts@example.org","Destination":{"ToAddresses":["reader@example.net"]},"Content":{"Raw":{"Data":"U3ViamVjdDogSGkNCg0KSGVsbG8NCg=="}},"ConfigurationSetName":"alerts"}"#
            );
            assert_eq!(
                request.headers.last().unwrap(),
                &(
                    "Authorization".to_string(),
                    format!(
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/eu-west-1/ses/aws4_request, \
                         SignedHeaders=content-type;host;x-amz-date, Signature={signature}"
                    )
                )
            );
        }
    }

    #[test]
    fn debug_output_leaves_out_secrets_and_the_message() {
        let cfg = SesConfig {
            session_token: Some("TOKEN".into()),
            ..config("http://127.0.0.1:8005")
        };
        let request = send_raw(&cfg, "a@example.org", "reader@example.net", "x", DATE);
        let shown = format!("{cfg:?} {request:?}");
        for hidden in ["wJalrXUtnFEMI", "TOKEN", "Signature=", "reader@example.net"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
        assert!(shown.contains("AKIDEXAMPLE") && shown.contains("Authorization"));
    }

    fn read(status: u16, body: &str) -> SesReply {
        read_reply(status, body.as_bytes())
    }

    fn rejected(kind: &str) -> SesReply {
        SesReply::Rejected { kind: kind.into() }
    }

    fn failed(kind: &str) -> SesReply {
        SesReply::Failed { kind: kind.into() }
    }

    #[test]
    fn a_message_id_is_a_sent_message() {
        assert_eq!(
            read(200, r#"{"MessageId":"0102019abc-0000-000000"}"#),
            SesReply::Sent {
                message_id: "0102019abc-0000-000000".into()
            }
        );
        assert_eq!(read(200, ""), failed("UnreadableReply"));
        assert_eq!(read(200, r#"{"MessageId":""}"#), failed("UnreadableReply"));
        assert_eq!(read(200, r#"{"MessageId":7}"#), failed("UnreadableReply"));
    }

    #[test]
    fn throttling_is_a_429_or_a_throttling_error_type() {
        for (status, body) in [
            (429, ""),
            (429, r#"{"__type":"MessageRejected"}"#),
            (
                400,
                r#"{"message":"Maximum sending rate exceeded.","__type":"TooManyRequestsException"}"#,
            ),
            (400, r#"{"code":"ThrottlingException"}"#),
            (400, r#"{"Code":"LimitExceededException"}"#),
            (
                400,
                r#"{"__type":"com.amazonaws.ses#TooManyRequestsException:http://internal.amazon.com/"}"#,
            ),
            (503, r#"{"__type":"Throttling"}"#),
        ] {
            assert_eq!(read(status, body), SesReply::Throttled, "{status} {body}");
        }
    }

    #[test]
    fn a_4xx_is_a_rejection_of_its_error_type() {
        for kind in [
            "MessageRejected",
            "MailFromDomainNotVerifiedException",
            "AccountSuspendedException",
            "SendingPausedException",
            "BadRequestException",
        ] {
            let body = format!(r#"{{"message":"Refused: reader@example.net","__type":"{kind}"}}"#);
            assert_eq!(read(400, &body), rejected(kind));
        }
        assert_eq!(
            read(404, r#"{"code":"NotFoundException"}"#),
            rejected("NotFoundException")
        );
        assert_eq!(
            read(
                400,
                r#"{"__type":"MessageRejected:http://internal.amazon.com/coral/com.amazon.ses/"}"#
            ),
            rejected("MessageRejected")
        );
        assert_eq!(
            read(
                403,
                r#"{"message":"The request signature we calculated does not match"}"#
            ),
            rejected("Http403")
        );
    }

    #[test]
    fn a_5xx_or_an_unreadable_answer_is_a_failure() {
        assert_eq!(
            read(500, r#"{"__type":"InternalFailure"}"#),
            failed("InternalFailure")
        );
        assert_eq!(
            read(503, "<html>Service Unavailable</html>"),
            failed("Http503")
        );
        assert_eq!(read(302, ""), failed("Http302"));
    }

    #[test]
    fn a_kind_never_carries_an_address_or_any_other_text() {
        for odd in [
            "reader@example.net",
            "com.amazonaws#reader@example.net",
            "Message Rejected",
            "MessageRejected<script>",
            "",
            "#",
        ] {
            let body = json!({ "__type": odd, "message": "reader@example.net" }).to_string();
            assert_eq!(read(400, &body), rejected("Http400"), "{odd}");
        }
        let long = "A".repeat(65);
        assert_eq!(
            read(400, &json!({ "__type": long }).to_string()),
            rejected("Http400")
        );
        assert_eq!(
            read(400, &json!({ "__type": 12 }).to_string()),
            rejected("Http400")
        );
    }
}
