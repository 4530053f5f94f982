//! A translation as stored in its alert's record (`alert:<slug>`, field
//! `translations`): what it says in its language. Everything else (date,
//! category, tags, contacts, image, related alerts) is the source's, and it
//! goes public with its source. Kept in the source's record, so that a
//! translated page reads the one key its English page reads (and shares
//! its copy in the isolate), and a publish writes or deletes it with the
//! alert, in the same key.

use super::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// One translation of an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    pub lang: Lang,
    pub title: String,
    /// Plain text: its own `summary`, else its body's first paragraph.
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_alt: Option<String>,
    /// When it was made: the source updated later makes it outdated.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub translated: DateTime<Utc>,
    /// The Markdown body, rendered on each request.
    pub body: Body,
}

/// A translation's Markdown body as its record holds it: a JSON string
/// whose UTF-8 is checked when the body is read, not when the record is.
/// A translated alert's record carries every translation's body (16 KB of
/// the seed alert's 20), and a view in one language reads at most one of
/// them: checked with the record, they cost its English page and API
/// answer 17 µs of own CPU a view in workerd (55 against 38 µs for the API
/// answer; BENCHMARKS.md's findings, "The record routes' few percent").
/// Written as the same JSON string a `String` is.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Body(Vec<u8>);

impl Body {
    /// The text. Bytes that are not UTF-8 (a value the publisher did not
    /// write: it writes JSON strings) read as U+FFFD; valid text is
    /// borrowed, not copied.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
}

impl From<String> for Body {
    fn from(s: String) -> Self {
        Body(s.into_bytes())
    }
}

impl From<&str> for Body {
    fn from(s: &str) -> Self {
        Body(s.as_bytes().to_vec())
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text(), f)
    }
}

impl Serialize for Body {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl<'de> Deserialize<'de> for Body {
    /// As bytes: serde_json hands a string's bytes (escapes decoded) to
    /// `deserialize_bytes` without checking them as UTF-8.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Body;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Body, E> {
                Ok(Body::from(v))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Body, E> {
                Ok(Body::from(v))
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Body, E> {
                Ok(Body(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Body, E> {
                Ok(Body(v))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(body: &str) -> String {
        serde_json::to_string(&Translation {
            lang: Lang::Ar,
            title: "عنوان".into(),
            summary: "ملخص".into(),
            contact_note: None,
            image_alt: None,
            translated: DateTime::from_timestamp(1_732_579_200, 0).unwrap(),
            body: body.into(),
        })
        .unwrap()
    }

    #[test]
    fn a_body_is_written_as_the_json_string_a_string_is() {
        let body = "نص \"مقتبس\"\nسطر ثانٍ \\ 中文 \u{1F600}\t";
        let json = stored(body);
        let as_string = serde_json::to_string(body).unwrap();
        assert!(json.contains(&format!("\"body\":{as_string}")), "{json}");
    }

    #[test]
    fn a_body_reads_back_as_written_escapes_decoded() {
        let body = "نص \"مقتبس\"\nسطر \\ 中文 \u{1F600} \u{7}";
        let t: Translation = serde_json::from_str(&stored(body)).unwrap();
        assert_eq!(t.body.text(), body);
        // From bytes too (how the Worker reads a record), and escaped
        // non-ASCII (`\u` pairs) as other writers may write it.
        let t: Translation = serde_json::from_slice(stored(body).as_bytes()).unwrap();
        assert_eq!(t.body.text(), body);
        let ascii = stored(body).replace("\u{1F600}", "\\ud83d\\ude00");
        let t: Translation = serde_json::from_slice(ascii.as_bytes()).unwrap();
        assert_eq!(t.body.text(), body);
    }

    #[test]
    fn a_body_that_is_not_utf8_reads_with_replacement_characters_not_an_error() {
        let mut bytes = stored("ab").into_bytes();
        let at = bytes.windows(2).position(|w| w == b"ab").unwrap();
        bytes[at] = 0xff;
        let t: Translation = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(t.body.text(), "\u{FFFD}b");
        // A lone surrogate escape is not text either.
        let lone = stored("ab").replace("ab", "a\\ud800b");
        let t: Translation = serde_json::from_slice(lone.as_bytes()).unwrap();
        assert!(t.body.text().starts_with('a') && t.body.text().ends_with('b'));
        assert!(t.body.text().contains('\u{FFFD}'), "{:?}", t.body);
    }

    #[test]
    fn a_body_that_is_not_a_string_is_refused() {
        let json = stored("x").replace("\"body\":\"x\"", "\"body\":7");
        let err = serde_json::from_str::<Translation>(&json).unwrap_err();
        assert!(err.to_string().contains("a string"), "{err}");
    }
}
