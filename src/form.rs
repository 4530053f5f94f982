//! The contact form: parsing (form-encoded or JSON), validation, the message
//! put on the inquiries queue, and the email composed from it.

use crate::content::Contact;
use crate::i18n::{fill, ContactErrors, Lang};
use serde::{Deserialize, Serialize};

/// The largest request body accepted by `POST /contact`.
pub const MAX_BODY_BYTES: usize = 32 * 1024;
const MAX_LINE_CHARS: usize = 200;
const MAX_MESSAGE_CHARS: usize = 10_000;

/// The form's fields, named as in the HTML form and the JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Name,
    Email,
    Organisation,
    Contact,
    Subject,
    Message,
    Consent,
    Turnstile,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Organisation => "organisation",
            Field::Contact => "contact",
            Field::Subject => "subject",
            Field::Message => "message",
            Field::Consent => "consent",
            Field::Turnstile => "cf-turnstile-response",
        }
    }
}

/// What a visitor typed. Also the JSON body of `POST /contact`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Inquiry {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub contact: String,
    pub subject: String,
    pub message: String,
    pub consent: bool,
    /// The honeypot, hidden from people: only robots fill it in.
    pub website: String,
    /// Turnstile's token, when Turnstile is on.
    #[serde(rename = "cf-turnstile-response")]
    pub turnstile_token: String,
}

/// The form-encoded body: every value a string, `consent` present when ticked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FormBody {
    name: String,
    email: String,
    organisation: String,
    contact: String,
    subject: String,
    message: String,
    consent: Option<String>,
    website: String,
    #[serde(rename = "cf-turnstile-response")]
    turnstile_token: String,
}

/// Why a body could not be read at all (before field validation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedBody(pub String);

impl Inquiry {
    /// Reads an `application/x-www-form-urlencoded` body.
    pub fn from_form(body: &[u8]) -> Result<Self, MalformedBody> {
        let f: FormBody = serde_urlencoded::from_bytes(body)
            .map_err(|e| MalformedBody(format!("the form data could not be read: {e}")))?;
        Ok(Inquiry {
            name: f.name,
            email: f.email,
            organisation: f.organisation,
            contact: f.contact,
            subject: f.subject,
            message: f.message,
            consent: f.consent.is_some_and(|c| !c.is_empty() && c != "false"),
            website: f.website,
            turnstile_token: f.turnstile_token,
        })
    }

    /// Reads an `application/json` body.
    pub fn from_json(body: &[u8]) -> Result<Self, MalformedBody> {
        serde_json::from_slice(body)
            .map_err(|e| MalformedBody(format!("the JSON body could not be read: {e}")))
    }

    /// Whether the honeypot was filled in (a robot).
    pub fn is_spam(&self) -> bool {
        !self.website.trim().is_empty()
    }
}

/// Problems with a submission, in form order, one per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(Vec<(Field, String)>);

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
    pub fn iter(&self) -> impl Iterator<Item = (Field, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }
    pub fn add(&mut self, field: Field, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
            self.0.sort_by_key(|(f, _)| *f);
        }
    }
    /// `{"errors": {"field": "message", ...}}`
    pub fn to_json(&self) -> serde_json::Value {
        let map: serde_json::Map<String, serde_json::Value> = self
            .0
            .iter()
            .map(|(f, m)| (f.name().to_string(), m.clone().into()))
            .collect();
        // `error`: the first problem, as every error answer has one.
        let first = self.0.first().map(|(_, m)| m.as_str()).unwrap_or_default();
        serde_json::json!({ "error": first, "errors": map })
    }
}

/// Whether a form field must be filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    Optional,
}

fn single_line(
    errors: &mut FormErrors,
    field: Field,
    (label, empty): (&str, &str),
    value: &str,
    presence: Presence,
    t: &ContactErrors,
) {
    if value.contains(['\r', '\n']) {
        errors.add(field, fill(t.single_line, label));
    } else if !is_safe_header_value(value) {
        // What `compose_email` would refuse at delivery, said here instead.
        errors.add(field, fill(t.control, label));
    } else if presence == Presence::Required && value.trim().is_empty() {
        errors.add(field, empty);
    } else if value.chars().count() > MAX_LINE_CHARS {
        let message = fill(t.too_long, label);
        errors.add(field, fill(&message, &MAX_LINE_CHARS.to_string()));
    }
}

/// A plausible email address: one `@`, a dotted domain, no spaces, quotes,
/// angle brackets or control characters (it is used as a `Reply-To`).
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let ok_char = |c: char| !c.is_whitespace() && !c.is_control() && !"<>()[]\\,;:\"@".contains(c);
    !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && local.chars().all(ok_char)
        && domain.chars().all(ok_char)
}

/// Validates a submission against the known contacts, naming each problem
/// in `lang` (the language of the page it was sent from).
pub fn validate(inq: &Inquiry, contacts: &[Contact], lang: Lang) -> FormErrors {
    let (s, t) = (lang.contact_strings(), lang.contact_errors());
    let mut e = FormErrors::default();
    let name = (s.your_name, t.name_empty);
    single_line(&mut e, Field::Name, name, &inq.name, Presence::Required, t);
    let email = (lang.strings().your_email, t.email_empty);
    single_line(
        &mut e,
        Field::Email,
        email,
        &inq.email,
        Presence::Required,
        t,
    );
    if e.get(Field::Email).is_none() && !inq.email.trim().is_ascii() {
        e.add(Field::Email, t.email_ascii);
    }
    if e.get(Field::Email).is_none() && !is_plausible_email(inq.email.trim()) {
        e.add(Field::Email, t.email);
    }
    let organisation = (s.organisation, "");
    let optional = Presence::Optional;
    single_line(
        &mut e,
        Field::Organisation,
        organisation,
        &inq.organisation,
        optional,
        t,
    );
    if !contacts.iter().any(|c| c.id == inq.contact) {
        e.add(Field::Contact, t.contact);
    }
    let subject = (s.subject, t.subject_empty);
    single_line(
        &mut e,
        Field::Subject,
        subject,
        &inq.subject,
        Presence::Required,
        t,
    );
    if inq.message.trim().is_empty() {
        e.add(Field::Message, t.message_empty);
    } else if inq.message.chars().count() > MAX_MESSAGE_CHARS {
        let allowed = MAX_MESSAGE_CHARS.to_string();
        e.add(Field::Message, fill(t.message_too_long, &allowed));
    }
    if !inq.consent {
        e.add(Field::Consent, t.consent);
    }
    e
}

/// The message put on the inquiries queue: everything needed to send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedInquiry {
    pub id: String,
    /// RFC 3339.
    pub received_at: String,
    pub contact: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub subject: String,
    pub message: String,
    /// The language of the page it was sent from (English for messages
    /// queued before there were others), so the contact can answer in it.
    #[serde(default)]
    pub lang: Lang,
}

impl QueuedInquiry {
    pub fn new(id: String, received_at: String, inq: &Inquiry, lang: Lang) -> Self {
        QueuedInquiry {
            id,
            received_at,
            contact: inq.contact.clone(),
            name: inq.name.trim().to_string(),
            email: inq.email.trim().to_string(),
            organisation: inq.organisation.trim().to_string(),
            subject: inq.subject.trim().to_string(),
            message: inq.message.clone(),
            lang,
        }
    }
}

/// The fingerprint of (contact, email, message) that catches a repeated
/// submission within the duplicate window.
pub fn duplicate_fingerprint(inq: &Inquiry) -> String {
    crate::http::etag(&[
        &inq.contact,
        &inq.email.trim().to_lowercase(),
        inq.message.trim(),
    ])
    .trim_matches('"')
    .to_string()
}

/// A header value `compose_email` refuses, named by its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafeHeader(pub &'static str);

/// Whether `value` may stand in a header: no control characters (CR, LF,
/// NUL, ...) and no bidirectional overrides or isolates, which could make
/// a header read differently from what it is.
pub fn is_safe_header_value(value: &str) -> bool {
    value.chars().all(|c| {
        !c.is_control()
            && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    })
}

/// An address mail can be sent to and replied to as it is: plausible and
/// ASCII (internationalised addresses need SMTPUTF8 end to end).
pub fn is_sendable_email(email: &str) -> bool {
    email.is_ascii() && is_plausible_email(email)
}

/// Composes the complete RFC 5322 message for one inquiry: `Reply-To` the
/// visitor, a `Message-ID` from the inquiry id, a subject naming the site and
/// the visitor, a plain-text body. mail-builder encodes non-ASCII header
/// text (RFC 2047) but writes a short ASCII value as it is, CR and LF
/// included, so every header value is checked here first, whoever called:
/// a value with a control character or a bidi override is refused, naming
/// its header.
pub fn compose_email(
    inq: &QueuedInquiry,
    site_name: &str,
    from: &str,
    to: &str,
    unix_time: i64,
) -> Result<String, UnsafeHeader> {
    use mail_builder::headers::{address::Address, message_id::MessageId};
    use mail_builder::MessageBuilder;
    for (header, value) in [
        ("From", site_name),
        ("From", from),
        ("To", to),
        ("Reply-To", inq.name.as_str()),
        ("Subject", inq.subject.as_str()),
        ("Message-ID", inq.id.as_str()),
    ] {
        if !is_safe_header_value(value) {
            return Err(UnsafeHeader(header));
        }
    }
    if !is_sendable_email(&inq.email) {
        return Err(UnsafeHeader("Reply-To"));
    }
    if !inq.id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(UnsafeHeader("Message-ID"));
    }
    let domain = from.rsplit_once('@').map(|(_, d)| d).unwrap_or("localhost");
    let org = if inq.organisation.is_empty() {
        String::new()
    } else {
        format!("Organisation: {}\n", inq.organisation)
    };
    let lang = match inq.lang {
        Lang::En => String::new(),
        l => format!("Written on the site in: {} ({})\n", l.autonym(), l.code()),
    };
    let body = format!(
        "{name} <{email}> wrote through the contact form of {site_name}.\n\
         {org}{lang}Subject: {subject}\n\
         Received: {received}\n\
         Inquiry id: {id}\n\
         \n\
         {message}\n\
         \n\
         --\n\
         Reply to this email to answer {name} directly.\n",
        name = inq.name,
        email = inq.email,
        subject = inq.subject,
        received = inq.received_at,
        id = inq.id,
        message = inq.message,
    );
    MessageBuilder::new()
        .from(Address::new_address(Some(site_name), from))
        .to(Address::new_address(None::<&str>, to))
        .reply_to(Address::new_address(
            Some(inq.name.as_str()),
            inq.email.as_str(),
        ))
        .subject(format!("[{site_name}] {} from {}", inq.subject, inq.name))
        .message_id(MessageId::new(format!("inquiry-{}@{domain}", inq.id)))
        .date(unix_time)
        .header(
            "X-Inquiry-Id",
            mail_builder::headers::raw::Raw::new(inq.id.clone()),
        )
        .text_body(body)
        .write_to_string()
        .map_err(|_| UnsafeHeader("body"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    fn contacts() -> Vec<Contact> {
        vec![Contact {
            id: "gordon-mackay".into(),
            name: "Gordon Mackay".into(),
            role: None,
            general: false,
        }]
    }

    fn good() -> Inquiry {
        Inquiry {
            name: "Ada".into(),
            email: "ada@example.org".into(),
            contact: "gordon-mackay".into(),
            subject: "OEWG".into(),
            message: "Hello".into(),
            consent: true,
            ..Default::default()
        }
    }

    #[test]
    fn accepts_a_good_inquiry() {
        assert!(validate(&good(), &contacts(), Lang::En).is_empty());
    }

    #[test_case(|i: &mut Inquiry| i.name.clear(), Field::Name, "Enter your name")]
    #[test_case(|i: &mut Inquiry| i.name = "A\r\nBcc: x@y.z".into(), Field::Name, "Your name must be a single line")]
    #[test_case(|i: &mut Inquiry| i.subject = "a\nb".into(), Field::Subject, "Subject must be a single line")]
    #[test_case(|i: &mut Inquiry| i.email = "not-an-email".into(), Field::Email, "Enter an email address like name@example.com, so the contact can reply")]
    #[test_case(|i: &mut Inquiry| i.email = "a@b.c\nBcc: x@y.z".into(), Field::Email, "Your email must be a single line")]
    #[test_case(|i: &mut Inquiry| i.contact = "nobody".into(), Field::Contact, "Choose one of the listed contacts")]
    #[test_case(|i: &mut Inquiry| i.consent = false, Field::Consent, "Tick the box to agree that your details are kept to answer you")]
    #[test_case(|i: &mut Inquiry| i.message = " ".into(), Field::Message, "Enter your message")]
    fn names_each_problem(change: fn(&mut Inquiry), field: Field, message: &str) {
        let mut i = good();
        change(&mut i);
        let e = validate(&i, &contacts(), Lang::En);
        assert_eq!(e.get(field), Some(message));
        assert_eq!(e.iter().count(), 1);
    }

    #[test]
    fn names_each_problem_in_the_page_s_language_with_its_labels_and_numbers() {
        let too_long = Inquiry {
            name: String::new(),
            subject: "x".repeat(MAX_LINE_CHARS + 1),
            message: "y".repeat(MAX_MESSAGE_CHARS + 1),
            ..good()
        };
        for lang in [Lang::Fr, Lang::Ar, Lang::Zh] {
            let (s, t) = (lang.contact_strings(), lang.contact_errors());
            let e = validate(&too_long, &contacts(), lang);
            assert_eq!(e.get(Field::Name), Some(t.name_empty));
            let subject = e.get(Field::Subject).unwrap();
            assert!(
                subject.contains(s.subject) && subject.contains("200"),
                "{subject}"
            );
            let message = e.get(Field::Message).unwrap();
            assert!(
                message.contains("10000") && !message.contains("{}"),
                "{message}"
            );
        }
    }

    #[test]
    fn reads_form_and_json_bodies_alike() {
        let form = Inquiry::from_form(b"name=Ada&email=ada%40example.org&contact=gordon-mackay&subject=OEWG&message=Hello&consent=yes").unwrap();
        let json = Inquiry::from_json(br#"{"name":"Ada","email":"ada@example.org","contact":"gordon-mackay","subject":"OEWG","message":"Hello","consent":true}"#).unwrap();
        assert_eq!(form, good());
        assert_eq!(json, good());
        assert!(Inquiry::from_json(b"{").is_err());
        assert!(!Inquiry::from_form(b"consent=").unwrap().consent);
    }

    #[test]
    fn errors_serialize_by_field_name() {
        let e = validate(&Inquiry::default(), &contacts(), Lang::En);
        let j = e.to_json();
        for f in ["name", "email", "contact", "subject", "message", "consent"] {
            assert!(j["errors"][f].is_string(), "{f} in {j}");
        }
    }

    #[test]
    fn email_headers_are_complete_and_visitor_text_stays_in_the_body() {
        let q = QueuedInquiry::new(
            "01abc".into(),
            "2024-11-25T10:00:00Z".into(),
            &Inquiry {
                name: "Zoë Example".into(),
                message: "Line one\r\nBcc: victim@example.org\r\n\r\n<b>not html</b>".into(),
                ..good()
            },
            Lang::Fr,
        );
        let m = compose_email(
            &q,
            "Access Alerts",
            "alerts@example.org",
            "gordon.mackay@example.org",
            1732528800,
        )
        .unwrap();
        let (headers, body) = m.split_once("\r\n\r\n").unwrap();
        assert!(
            headers.contains("To: <gordon.mackay@example.org>"),
            "{headers}"
        );
        assert!(
            headers.contains("Message-ID: <inquiry-01abc@example.org>"),
            "{headers}"
        );
        assert!(headers.contains("Reply-To: \"=?utf-8?"), "{headers}");
        assert!(headers.contains("<ada@example.org>"), "{headers}");
        assert!(headers.contains("Subject: "), "{headers}");
        assert!(headers.contains("Date: Mon, 25 Nov 2024"), "{headers}");
        assert!(headers.contains("Content-Type: text/plain"), "{headers}");
        assert!(!headers.contains("victim"), "{headers}");
        assert!(!headers.lines().any(|l| l.starts_with("Bcc")));
        assert!(body.contains("not html") || body.contains("=3Cb"), "{body}");
    }

    #[test]
    fn compose_email_refuses_unsafe_header_values_whoever_calls() {
        let base = QueuedInquiry::new(
            "01abc".into(),
            "2024-11-25T10:00:00Z".into(),
            &good(),
            Lang::En,
        );
        let compose = |q: &QueuedInquiry| {
            compose_email(
                q,
                "Access Alerts",
                "alerts@example.org",
                "gordon.mackay@example.org",
                0,
            )
        };
        assert!(compose(&base).is_ok());
        type Change = fn(&mut QueuedInquiry);
        let cases: [(Change, &str); 7] = [
            (
                |q| q.subject = "Short\r\nBcc: victim@example.net".into(),
                "Subject",
            ),
            (|q| q.subject = "nul\0".into(), "Subject"),
            (|q| q.subject = "tab\tand vertical\u{0B}".into(), "Subject"),
            (|q| q.name = "Ada \u{202E}evil".into(), "Reply-To"),
            (|q| q.name = "Ada\u{2066}".into(), "Reply-To"),
            (|q| q.email = "zoë@example.net".into(), "Reply-To"),
            (|q| q.id = "01abc\r\nX: y".into(), "Message-ID"),
        ];
        for (change, header) in cases {
            let mut q = base.clone();
            change(&mut q);
            assert_eq!(compose(&q), Err(UnsafeHeader(header)), "{q:?}");
        }
        assert_eq!(
            compose_email(
                &base,
                "Site\r\nBcc: x@example.net",
                "alerts@example.org",
                "a@example.org",
                0
            ),
            Err(UnsafeHeader("From"))
        );
    }

    #[test]
    fn what_compose_email_would_refuse_is_refused_at_the_form() {
        let e = validate(
            &Inquiry {
                name: "\u{200F}Ada".into(),
                subject: "tab\there".into(),
                ..good()
            },
            &contacts(),
            Lang::En,
        );
        assert!(e.get(Field::Name).unwrap().contains("invisible"), "{e:?}");
        assert!(
            e.get(Field::Subject).unwrap().contains("invisible"),
            "{e:?}"
        );
        let q = QueuedInquiry::new(
            "01abc".into(),
            "2024-11-25T10:00:00Z".into(),
            &Inquiry {
                name: "Ada Lovelace".into(),
                subject: "Plain".into(),
                ..good()
            },
            Lang::En,
        );
        assert!(
            compose_email(
                &q,
                "Access Alerts",
                "alerts@example.org",
                "a@example.org",
                0
            )
            .is_ok(),
            "what the form accepts, delivery sends"
        );
    }

    #[test]
    fn a_non_ascii_address_is_refused_at_the_form() {
        let e = validate(
            &Inquiry {
                email: "zoë@example.net".into(),
                ..good()
            },
            &contacts(),
            Lang::En,
        );
        assert!(
            e.get(Field::Email).unwrap().contains("plain letters"),
            "{e:?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn what_the_form_accepts_can_always_be_sent(name in "(.|\r|\n){0,30}", subject in "(.|\r|\n){0,30}", organisation in "(.|\r|\n){0,20}") {
            let inq = Inquiry { name, subject, organisation, ..good() };
            if validate(&inq, &contacts(), Lang::En).is_empty() {
                let q = QueuedInquiry::new("01abc".into(), "2024-11-25T10:00:00Z".into(), &inq, Lang::En);
                proptest::prop_assert!(compose_email(&q, "Access Alerts", "alerts@example.org", "a@example.org", 0).is_ok());
            }
        }
    }
}
