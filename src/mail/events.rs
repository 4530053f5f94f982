//! Bounces and complaints, as the two mail services report them: Amazon
//! SES through an SNS Notification's `Message` (`read_ses`), Cloudflare
//! Email Service through an event subscription's queue (`read_email_service`).
//! Both give a `BounceEvent`; the caller normalizes and hashes the
//! recipients and suppresses them. Nothing here logs, and errors name a
//! field, never an address.
//!
//! **SES** ("Contents of event data that Amazon SES publishes to Amazon
//! SNS", <https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html>,
//! its examples at <https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-examples.html>;
//! identity notifications: <https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html>
//! and <https://docs.aws.amazon.com/ses/latest/dg/notification-examples.html>):
//! a JSON object whose kind is `eventType` (event publishing through a
//! configuration set) or `notificationType` (notifications set on the
//! identity). Read:
//!
//! ```text
//! {"eventType"|"notificationType": "Bounce",
//!  "bounce": {"bounceType": "Permanent"|"Transient"|"Undetermined",
//!             "bouncedRecipients": [{"emailAddress": "..."}, ...]}}
//! {"eventType"|"notificationType": "Complaint",
//!  "complaint": {"complainedRecipients": [{"emailAddress": "..."}, ...]}}
//! ```
//!
//! Permanent is a hard bounce; Transient and Undetermined are soft. A
//! complaint is a complaint whatever its `complaintFeedbackType` or
//! `complaintSubType` (`OnAccountSuppressionList`: SES did not send, the
//! address being on the account's suppression list). Every other kind
//! (Delivery, Send, Reject, DeliveryDelay, Open, Click, Rendering Failure,
//! Subscription, and `AmazonSnsSubscriptionSucceeded`, the identity's
//! test notification) is `Other`. When a configuration set's SNS
//! destination is first made, SES publishes a sentence that is not JSON:
//! that is `NotJson`, for the caller to log and acknowledge.
//!
//! **Cloudflare Email Service** ("Event subscriptions",
//! <https://developers.cloudflare.com/email-service/platform/event-subscriptions/>,
//! its common fields at <https://developers.cloudflare.com/queues/event-subscriptions/events-schemas/>):
//! each queue message's body is one event. Read:
//!
//! ```text
//! {"type": "cf.email.sending.message.bounced",
//!  "source": {"type": "email.sending", "zoneId": "...", "domain": "..."},
//!  "payload": {"recipient": "...", "bounce": {"type": "hard"|"soft", ...}, ...},
//!  "metadata": {"eventSchemaVersion": 1, ...}}
//! {"type": "cf.email.sending.message.complained",
//!  "payload": {"recipient": "...", "complaint": {"type": "abuse"}, ...}, ...}
//! ```
//!
//! The documented `type` is the long one; the event's short name
//! (`message.bounced`, as the page heads it) is accepted too. `bounced`
//! is sent for a permanent bounce or when retries of a temporary one are
//! exhausted: `bounce.type` `hard` is a hard bounce, `soft` a soft one,
//! and a `bounced` event without `bounce.type` is taken as hard (the
//! event is terminal). `message.deferred` (retries still pending),
//! `delivered`, `failed`, `rejected` and any other type are `Other`. The
//! queue hands the body over as a JSON value: the caller passes its text.

use serde_json::Value;

/// What a bounce or complaint report says to do with its recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BounceEvent {
    /// The address does not exist or never will accept mail: suppress.
    HardBounce { recipients: Vec<String> },
    /// A temporary failure (full mailbox, greylisting...), or one the
    /// service could not classify: count it.
    SoftBounce { recipients: Vec<String> },
    /// The reader marked the mail as spam: suppress.
    Complaint { recipients: Vec<String> },
    /// Any other event (a delivery, a send, a delay...): nothing to do.
    Other,
}

/// Why a report could not be read, fit for a log line (no address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventError {
    /// Not JSON (SES's first, plain-text notification of a new destination).
    NotJson,
    /// JSON, but not an object.
    NotAnObject,
    /// No kind: neither `eventType` nor `notificationType` (SES), no `type`
    /// (Email Service), or not a string.
    NoType,
    /// This field of a bounce or complaint is absent or of another type.
    Missing(&'static str),
    /// A bounce type this reader does not know, as found, cut to 24 ASCII
    /// letters and digits.
    UnknownBounceType(String),
    /// A bounce or complaint whose recipient list is empty, or holds an
    /// empty address.
    NoRecipients,
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventError::NotJson => f.write_str("mail event: not-json"),
            EventError::NotAnObject => f.write_str("mail event: not-an-object"),
            EventError::NoType => f.write_str("mail event: no type"),
            EventError::Missing(field) => write!(f, "mail event: missing {field}"),
            EventError::UnknownBounceType(t) => write!(f, "mail event: unknown bounce type {t}"),
            EventError::NoRecipients => f.write_str("mail event: no recipients"),
        }
    }
}

fn object(text: &str) -> Result<Value, EventError> {
    let value: Value = serde_json::from_str(text).map_err(|_| EventError::NotJson)?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(EventError::NotAnObject)
    }
}

fn unknown_bounce_type(t: &str) -> EventError {
    EventError::UnknownBounceType(
        t.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect(),
    )
}

/// Trimmed addresses; an empty list or an empty address is refused.
fn recipients(addresses: Vec<&str>) -> Result<Vec<String>, EventError> {
    let trimmed: Vec<String> = addresses.iter().map(|a| a.trim().to_string()).collect();
    if trimmed.is_empty() || trimmed.iter().any(String::is_empty) {
        return Err(EventError::NoRecipients);
    }
    Ok(trimmed)
}

/// The `emailAddress` of each entry of `list` (SES's recipient lists);
/// `field` names the list in errors.
fn ses_addresses<'a>(
    list: Option<&'a Value>,
    field: &'static str,
) -> Result<Vec<&'a str>, EventError> {
    list.and_then(Value::as_array)
        .ok_or(EventError::Missing(field))?
        .iter()
        .map(|r| {
            r.get("emailAddress")
                .and_then(Value::as_str)
                .ok_or(EventError::Missing(field))
        })
        .collect()
}

/// Reads an SES event or notification: the `Message` of an SNS
/// Notification (see the module's doc for the shape).
pub fn read_ses(message: &str) -> Result<BounceEvent, EventError> {
    let v = object(message)?;
    let kind = v
        .get("eventType")
        .or_else(|| v.get("notificationType"))
        .and_then(Value::as_str)
        .ok_or(EventError::NoType)?;
    match kind {
        "Bounce" => {
            let bounce = v.get("bounce");
            let bounce_type = bounce
                .and_then(|b| b.get("bounceType"))
                .and_then(Value::as_str)
                .ok_or(EventError::Missing("bounce.bounceType"))?;
            let list = bounce.and_then(|b| b.get("bouncedRecipients"));
            let recipients = recipients(ses_addresses(list, "bounce.bouncedRecipients")?)?;
            match bounce_type {
                "Permanent" => Ok(BounceEvent::HardBounce { recipients }),
                "Transient" | "Undetermined" => Ok(BounceEvent::SoftBounce { recipients }),
                other => Err(unknown_bounce_type(other)),
            }
        }
        "Complaint" => {
            let list = v
                .get("complaint")
                .and_then(|c| c.get("complainedRecipients"));
            let recipients = recipients(ses_addresses(list, "complaint.complainedRecipients")?)?;
            Ok(BounceEvent::Complaint { recipients })
        }
        _ => Ok(BounceEvent::Other),
    }
}

/// Reads one Cloudflare Email Service event from an event subscription's
/// queue (see the module's doc for the shape).
pub fn read_email_service(body: &str) -> Result<BounceEvent, EventError> {
    let v = object(body)?;
    let kind = v
        .get("type")
        .and_then(Value::as_str)
        .ok_or(EventError::NoType)?;
    let kind = kind.strip_prefix("cf.email.sending.").unwrap_or(kind);
    let recipient = || {
        let address = v
            .get("payload")
            .and_then(|p| p.get("recipient"))
            .and_then(Value::as_str)
            .ok_or(EventError::Missing("payload.recipient"))?;
        recipients(vec![address])
    };
    match kind {
        "message.bounced" => {
            let bounce_type = v
                .get("payload")
                .and_then(|p| p.get("bounce"))
                .and_then(|b| b.get("type"));
            let hard = match bounce_type {
                None | Some(Value::Null) => true,
                Some(Value::String(t)) if t == "hard" => true,
                Some(Value::String(t)) if t == "soft" => false,
                Some(Value::String(t)) => return Err(unknown_bounce_type(t)),
                Some(_) => return Err(EventError::Missing("payload.bounce.type")),
            };
            let recipients = recipient()?;
            Ok(if hard {
                BounceEvent::HardBounce { recipients }
            } else {
                BounceEvent::SoftBounce { recipients }
            })
        }
        "message.complained" => Ok(BounceEvent::Complaint {
            recipients: recipient()?,
        }),
        _ => Ok(BounceEvent::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// SES's documented Bounce record (event publishing), trimmed of the
    /// headers, with a second recipient padded with spaces.
    fn ses_bounce(kind_key: &str, bounce_type: &str) -> String {
        json!({
            kind_key: "Bounce",
            "bounce": {
                "bounceType": bounce_type,
                "bounceSubType": "General",
                "bouncedRecipients": [
                    {"emailAddress": "recipient@example.com", "action": "failed",
                     "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 user unknown"},
                    {"emailAddress": "  richard@example.org "}
                ],
                "timestamp": "2017-08-05T00:41:02.669Z",
                "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
                "reportingMTA": "dsn; mta.example.com"
            },
            "mail": {
                "timestamp": "2017-08-05T00:40:02.012Z",
                "source": "Sender Name <sender@example.com>",
                "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
                "sendingAccountId": "123456789012",
                "messageId": "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
                "destination": ["recipient@example.com", "richard@example.org"],
                "tags": {"ses:configuration-set": ["ConfigSet"]}
            }
        })
        .to_string()
    }

    /// SES's documented Complaint notification (identity notifications),
    /// with a feedback report.
    fn ses_complaint(kind_key: &str, sub_type: Option<&str>) -> String {
        let mut v = json!({
            kind_key: "Complaint",
            "complaint": {
                "userAgent": "AnyCompany Feedback Loop (V0.01)",
                "complainedRecipients": [{"emailAddress": "richard@example.com"}],
                "complaintFeedbackType": "abuse",
                "arrivalDate": "2016-01-27T14:59:38.237Z",
                "timestamp": "2016-01-27T14:59:38.237Z",
                "feedbackId": "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000"
            },
            "mail": {
                "timestamp": "2016-01-27T14:59:38.237Z",
                "messageId": "000001378603177f-7a5433e7-8edb-42ae-af10-f0181f34d6ee-000000",
                "source": "john@example.com",
                "sourceArn": "arn:aws:ses:us-east-1:888888888888:identity/example.com",
                "sendingAccountId": "123456789012",
                "destination": ["jane@example.com", "mary@example.com", "richard@example.com"]
            }
        });
        if let Some(s) = sub_type {
            v["complaint"]["complaintSubType"] = s.into();
        }
        v.to_string()
    }

    fn two() -> Vec<String> {
        vec!["recipient@example.com".into(), "richard@example.org".into()]
    }

    #[test]
    fn ses_bounces_by_type_from_either_publisher() {
        for key in ["eventType", "notificationType"] {
            assert_eq!(
                read_ses(&ses_bounce(key, "Permanent")),
                Ok(BounceEvent::HardBounce { recipients: two() })
            );
            for soft in ["Transient", "Undetermined"] {
                assert_eq!(
                    read_ses(&ses_bounce(key, soft)),
                    Ok(BounceEvent::SoftBounce { recipients: two() })
                );
            }
            assert_eq!(
                read_ses(&ses_bounce(key, "Sideways")),
                Err(EventError::UnknownBounceType("Sideways".into()))
            );
        }
    }

    #[test]
    fn ses_complaints_whatever_their_sub_type() {
        let one = vec!["richard@example.com".to_string()];
        for key in ["eventType", "notificationType"] {
            for sub in [None, Some("OnAccountSuppressionList")] {
                assert_eq!(
                    read_ses(&ses_complaint(key, sub)),
                    Ok(BounceEvent::Complaint {
                        recipients: one.clone()
                    })
                );
            }
        }
        // A complaint without a feedback report: only the recipients.
        let bare = r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"richard@example.com"}],"timestamp":"2016-01-27T14:59:38.237Z","feedbackId":"0000013786031775-fea503bc-7497-49e1-881b-a0379bb037d3-000000"},"mail":{}}"#;
        assert_eq!(
            read_ses(bare),
            Ok(BounceEvent::Complaint { recipients: one })
        );
    }

    #[test]
    fn other_ses_events_are_other() {
        for kind in [
            "Delivery",
            "Send",
            "Reject",
            "DeliveryDelay",
            "Open",
            "Click",
            "Rendering Failure",
            "Subscription",
        ] {
            let body = json!({"eventType": kind, "mail": {"destination": ["jane@example.com"]}});
            assert_eq!(
                read_ses(&body.to_string()),
                Ok(BounceEvent::Other),
                "{kind}"
            );
        }
        let test_message = r#"{"notificationType":"AmazonSnsSubscriptionSucceeded","message":"You have successfully subscribed your Amazon SNS topic to receive 'Bounce' notifications from Amazon SES for identity 'example.com'."}"#;
        assert_eq!(read_ses(test_message), Ok(BounceEvent::Other));
    }

    #[test]
    fn unreadable_ses_reports_say_what_is_missing_and_no_address() {
        let cases: &[(&str, EventError)] = &[
            (
                "Successfully validated SNS topic for Amazon SES event publishing.",
                EventError::NotJson,
            ),
            ("[1]", EventError::NotAnObject),
            (r#"{"mail":{}}"#, EventError::NoType),
            (r#"{"eventType":7}"#, EventError::NoType),
            (
                r#"{"eventType":"Bounce"}"#,
                EventError::Missing("bounce.bounceType"),
            ),
            (
                r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent"}}"#,
                EventError::Missing("bounce.bouncedRecipients"),
            ),
            (
                r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"status":"5.1.1"}]}}"#,
                EventError::Missing("bounce.bouncedRecipients"),
            ),
            (
                r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[]}}"#,
                EventError::NoRecipients,
            ),
            (
                r#"{"eventType":"Bounce","bounce":{"bounceType":"Transient","bouncedRecipients":[{"emailAddress":"  "}]}}"#,
                EventError::NoRecipients,
            ),
            (
                r#"{"eventType":"Complaint","complaint":{}}"#,
                EventError::Missing("complaint.complainedRecipients"),
            ),
            (
                r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":"jane@example.com"}}"#,
                EventError::Missing("complaint.complainedRecipients"),
            ),
        ];
        for (body, expected) in cases {
            let got = read_ses(body).unwrap_err();
            assert_eq!(&got, expected, "{body}");
            assert!(!got.to_string().contains('@'), "{got}");
        }
        let odd = read_ses(&ses_bounce("eventType", "x@example.com")).unwrap_err();
        assert_eq!(
            odd.to_string(),
            "mail event: unknown bounce type xexamplecom"
        );
    }

    /// Email Service's documented event, `payload` replaced by `payload`.
    fn email_service(kind: &str, payload: Value) -> String {
        json!({
            "type": kind,
            "source": {"type": "email.sending", "zoneId": "023e105f4ecef8ad9ca31a8372d0c353", "domain": "send.example.com"},
            "payload": payload,
            "metadata": {
                "accountId": "f9f79265f388666de8122cfb508d7776",
                "eventSubscriptionId": "1830c4bb612e43c3af7f4cada31fbf3f",
                "eventSchemaVersion": 1,
                "eventTimestamp": "2026-06-01T02:48:57.132Z"
            }
        })
        .to_string()
    }

    fn bounced(bounce: Option<Value>) -> Value {
        let mut p = json!({
            "eventId": "0190d0c4-7ea1-7af2-8b88-c1d2e3f4a5b6",
            "messageId": "0101018f7d0c4d9a-msg-bounced",
            "sender": "receipts@send.example.com",
            "recipient": " user@example.net ",
            "subject": "Your receipt",
            "terminal": true,
            "delivery": {"status": "bounced", "provider": "external_smtp", "smtpStatusCode": "550",
                         "smtpEnhancedStatusCode": "5.1.1", "smtpResponse": "550 5.1.1 User unknown"}
        });
        if let Some(b) = bounce {
            p["bounce"] = b;
        }
        p
    }

    #[test]
    fn email_service_bounces_are_hard_or_soft_as_the_payload_says() {
        let user = || vec!["user@example.net".to_string()];
        let hard = json!({"type": "hard", "classification": "permanent_failure", "reason": "550 5.1.1 User unknown"});
        let soft = json!({"type": "soft", "classification": "temporary_failure", "reason": "451 4.2.0 Temporary mailbox error"});
        for kind in ["cf.email.sending.message.bounced", "message.bounced"] {
            assert_eq!(
                read_email_service(&email_service(kind, bounced(Some(hard.clone())))),
                Ok(BounceEvent::HardBounce { recipients: user() })
            );
            assert_eq!(
                read_email_service(&email_service(kind, bounced(Some(soft.clone())))),
                Ok(BounceEvent::SoftBounce { recipients: user() })
            );
            assert_eq!(
                read_email_service(&email_service(kind, bounced(None))),
                Ok(BounceEvent::HardBounce { recipients: user() }),
                "a bounced event is terminal"
            );
        }
        assert_eq!(
            read_email_service(&email_service(
                "message.bounced",
                bounced(Some(json!({"type": "odd"})))
            )),
            Err(EventError::UnknownBounceType("odd".into()))
        );
        assert_eq!(
            read_email_service(&email_service(
                "message.bounced",
                bounced(Some(json!({"type": 5})))
            )),
            Err(EventError::Missing("payload.bounce.type"))
        );
    }

    #[test]
    fn email_service_complaints_and_the_rest() {
        let complaint = json!({
            "eventId": "0190d0c4-9f01-7c44-b2a1-aabbccddeeff",
            "messageId": "0101018f7d0c4d9a-msg-complained",
            "sender": "news@send.example.com",
            "recipient": "user@example.net",
            "terminal": true,
            "delivery": {"status": "complained"},
            "complaint": {"type": "abuse"}
        });
        assert_eq!(
            read_email_service(&email_service(
                "cf.email.sending.message.complained",
                complaint
            )),
            Ok(BounceEvent::Complaint {
                recipients: vec!["user@example.net".into()]
            })
        );
        // Deferred carries a soft bounce, but retries are pending: nothing yet.
        let deferred = bounced(Some(
            json!({"type": "soft", "classification": "temporary_failure"}),
        ));
        for kind in [
            "cf.email.sending.message.deferred",
            "cf.email.sending.message.delivered",
            "cf.email.sending.message.failed",
            "cf.email.sending.message.rejected",
            "cf.kv.namespace.created",
        ] {
            assert_eq!(
                read_email_service(&email_service(kind, deferred.clone())),
                Ok(BounceEvent::Other),
                "{kind}"
            );
        }
    }

    #[test]
    fn unreadable_email_service_events_say_what_is_missing() {
        let no_recipient = json!({"bounce": {"type": "hard"}});
        let cases = [
            ("{".to_string(), EventError::NotJson),
            ("\"message.bounced\"".to_string(), EventError::NotAnObject),
            (r#"{"payload":{}}"#.to_string(), EventError::NoType),
            (
                email_service("message.bounced", no_recipient),
                EventError::Missing("payload.recipient"),
            ),
            (
                email_service("message.complained", json!({"recipient": ""})),
                EventError::NoRecipients,
            ),
            (
                r#"{"type":"message.complained"}"#.to_string(),
                EventError::Missing("payload.recipient"),
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(read_email_service(&body), Err(expected), "{body}");
        }
    }

    proptest::proptest! {
        #[test]
        fn readers_never_panic(body in "\\PC{0,200}") {
            let _ = read_ses(&body);
            let _ = read_email_service(&body);
        }
    }
}
