//! The subscribe form (`POST /subscribe`) and the subscriber's own form
//! (`POST /subscription`): reading a body (form-encoded, with one `topic`
//! field per chosen topic, or JSON) and checking it against the site's
//! topics. Every value is kept, so a refused form is shown again as sent.

use super::topics::{Choice, Frequency};
use crate::form::MalformedBody;
use crate::i18n::Lang;

/// The longest address accepted (RFC 5321's path limit).
pub const MAX_EMAIL_BYTES: usize = 254;
/// The most topics one subscriber may choose.
pub const MAX_TOPICS: usize = 200;

/// What a reader sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub email: String,
    /// `all` (every alert) or `chosen` (the topics below).
    pub scope: String,
    pub topics: Vec<String>,
    /// `each` or `weekly`.
    pub frequency: String,
    /// The mails' language: a code of `Lang::ALL` (empty: the page's).
    pub lang: String,
    pub consent: bool,
    /// The honeypot: people leave it empty.
    pub website: String,
    pub turnstile_token: String,
    /// The footer's short form: show the full form with the address in it.
    pub prefill: bool,
}

impl Request {
    /// A form-encoded body (`topic` may repeat).
    pub fn from_form(body: &[u8]) -> Result<Self, MalformedBody> {
        if std::str::from_utf8(body).is_err() {
            return Err(MalformedBody("the form data is not UTF-8".into()));
        }
        let mut r = Request::default();
        for (k, v) in form_urlencoded::parse(body) {
            match &*k {
                "email" => r.email = v.into_owned(),
                "scope" => r.scope = v.into_owned(),
                "topic" | "topics" => r.topics.push(v.into_owned()),
                "frequency" => r.frequency = v.into_owned(),
                "lang" => r.lang = v.into_owned(),
                "consent" => r.consent = !v.is_empty() && v != "false",
                "website" => r.website = v.into_owned(),
                "cf-turnstile-response" => r.turnstile_token = v.into_owned(),
                "prefill" => r.prefill = v == "1",
                _ => {}
            }
        }
        Ok(r)
    }

    /// A JSON body. Read through `serde_json::Value`, whose parser the
    /// Worker has anyway: a derived `Deserialize` costs about 2 KiB gzip.
    pub fn from_json(body: &[u8]) -> Result<Self, MalformedBody> {
        let v: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| MalformedBody(format!("the JSON body could not be read: {e}")))?;
        if !v.is_object() {
            return Err(MalformedBody("the JSON body must be an object".into()));
        }
        let text = |k: &str| -> Result<String, MalformedBody> {
            match &v[k] {
                serde_json::Value::Null => Ok(String::new()),
                serde_json::Value::String(s) => Ok(s.clone()),
                _ => Err(MalformedBody(format!("`{k}` must be a string"))),
            }
        };
        let topics = match &v["topics"] {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(a) => a
                .iter()
                .map(|t| t.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| MalformedBody("`topics` must be a list of strings".into()))?,
            _ => return Err(MalformedBody("`topics` must be a list of strings".into())),
        };
        Ok(Request {
            email: text("email")?,
            scope: text("scope")?,
            topics,
            frequency: text("frequency")?,
            lang: text("lang")?,
            consent: v["consent"].as_bool().unwrap_or(false),
            website: text("website")?,
            turnstile_token: text("cf-turnstile-response")?,
            prefill: false,
        })
    }

    pub fn is_spam(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// The address as stored: trimmed and lowercased.
    pub fn normalised_email(&self) -> String {
        normalise(&self.email)
    }
}

/// An address as stored and compared: trimmed and lowercased (one person,
/// one row, however they typed it).
pub fn normalise(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// Problems with a form, by field name, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub Vec<(&'static str, String)>);

impl Errors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    fn add(&mut self, field: &'static str, message: &str) {
        self.0.push((field, message.to_string()));
    }

    pub fn to_json(&self) -> serde_json::Value {
        let fields: serde_json::Map<String, serde_json::Value> = self
            .0
            .iter()
            .map(|(f, m)| (f.to_string(), m.clone().into()))
            .collect();
        serde_json::json!({ "error": "Some answers need another look.", "errors": fields })
    }
}

/// What is wrong with the choice part (scope, topics, frequency,
/// language), or the choice itself; `known` are the topics a reader may
/// choose now; `page` is the page's language: its messages', and the
/// mails' when the request names none.
pub fn choice(r: &Request, known: &[String], page: Lang) -> Result<Choice, Errors> {
    let s = page.subscribe_errors();
    let mut e = Errors::default();
    let every = match r.scope.as_str() {
        "" | "all" => r.scope == "all" || r.topics.is_empty(),
        "chosen" => false,
        _ => {
            e.add("scope", s.scope);
            false
        }
    };
    let mut topics: Vec<String> = Vec::new();
    if !every {
        if r.topics.is_empty() {
            e.add("topics", s.topics_none);
        } else if r.topics.len() > MAX_TOPICS {
            e.add("topics", s.topics_many);
        } else if r.topics.iter().any(|t| !known.contains(t)) {
            e.add("topics", s.topics_unknown);
        } else {
            topics = r.topics.clone();
            topics.sort();
            topics.dedup();
        }
    }
    let frequency = match r.frequency.as_str() {
        "" => Frequency::Each,
        f => Frequency::parse(f).unwrap_or_else(|| {
            e.add("frequency", s.frequency);
            Frequency::Each
        }),
    };
    let lang = match r.lang.trim() {
        "" => page,
        code => Lang::from_code(code).unwrap_or_else(|| {
            e.add("lang", s.lang);
            page
        }),
    };
    if e.is_empty() {
        Ok(Choice {
            every,
            topics,
            frequency,
            lang,
        })
    } else {
        Err(e)
    }
}

/// Checks a subscribe form sent from a page in `page`: the address, the
/// consent and the choice.
pub fn validate(r: &Request, known: &[String], page: Lang) -> Result<Choice, Errors> {
    let s = page.subscribe_errors();
    let mut e = Errors::default();
    let email = r.email.trim();
    if email.is_empty() {
        e.add("email", s.email_empty);
    } else if email.len() > MAX_EMAIL_BYTES || !crate::form::is_sendable_email(email) {
        e.add("email", s.email);
    }
    let chosen = choice(r, known, page);
    if let Err(more) = &chosen {
        e.0.extend(more.0.iter().cloned());
    }
    if !r.consent {
        e.add("consent", s.consent);
    }
    if e.is_empty() {
        chosen
    } else {
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        vec!["c:Opinion".into(), "t:UN OEWG".into()]
    }

    #[test]
    fn reads_a_form_with_repeated_topics() {
        let r = Request::from_form(
            b"email=Ada%40Example.org+&scope=chosen&topic=t%3AUN+OEWG&topic=c%3AOpinion&frequency=weekly&consent=on",
        )
        .unwrap();
        assert_eq!(r.normalised_email(), "ada@example.org");
        let c = validate(&r, &known(), Lang::En).unwrap();
        assert!(!c.every);
        assert_eq!(c.topics, ["c:Opinion", "t:UN OEWG"]);
        assert_eq!(c.frequency, Frequency::Weekly);
        assert_eq!(c.lang, Lang::En);
    }

    #[test]
    fn the_mails_language_is_the_one_chosen_else_the_page_s() {
        let r = Request::from_form(b"email=ada%40example.org&consent=on&lang=zh").unwrap();
        assert_eq!(validate(&r, &known(), Lang::Fr).unwrap().lang, Lang::Zh);
        let r = Request::from_json(br#"{"email":"ada@example.org","consent":true}"#).unwrap();
        assert_eq!(validate(&r, &known(), Lang::Ar).unwrap().lang, Lang::Ar);
        let r = Request::from_json(br#"{"email":"ada@example.org","consent":true,"lang":"de"}"#)
            .unwrap();
        let e = validate(&r, &known(), Lang::Fr).unwrap_err();
        assert_eq!(
            e.get("lang"),
            Some("Choisissez l’une des langues de la liste.")
        );
    }

    #[test]
    fn every_alert_by_default() {
        let r = Request::from_json(br#"{"email":"ada@example.org","consent":true}"#).unwrap();
        let c = validate(&r, &known(), Lang::En).unwrap();
        assert!(c.every);
        assert_eq!(c.frequency, Frequency::Each);
    }

    #[test]
    fn refuses_each_problem_by_field() {
        let r = Request {
            email: "ada@exa mple".into(),
            scope: "chosen".into(),
            topics: vec!["c:Unknown".into()],
            frequency: "daily".into(),
            ..Default::default()
        };
        let e = validate(&r, &known(), Lang::En).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["email", "topics", "frequency", "consent"]);
        let fr = validate(&r, &known(), Lang::Fr).unwrap_err();
        assert_eq!(fr.get("consent"), Some(Lang::Fr.subscribe_errors().consent));
        for bad in ["a@b\r\nBcc: x@example.org", "ädа@example.org", "a@b"] {
            let r = Request {
                email: bad.into(),
                consent: true,
                ..Default::default()
            };
            assert!(
                validate(&r, &known(), Lang::En)
                    .unwrap_err()
                    .get("email")
                    .is_some(),
                "{bad:?}"
            );
        }
    }
}
