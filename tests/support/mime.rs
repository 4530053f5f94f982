//! An email as a reader's client shows it, for tests that read mail in
//! any language: headers unfolded and their encoded words (RFC 2047)
//! decoded, and each part's body decoded from base64 or quoted-printable
//! (RFC 2045) as UTF-8. Boundaries and part headers are kept.
#![allow(dead_code)]

use base64::Engine;

/// `raw` with every header and body decoded (see the module's note),
/// lines ending as in the message (CRLF).
pub fn readable(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let mut out = String::new();
    let (mut in_headers, mut encoding) = (true, String::new());
    let mut headers: Vec<String> = Vec::new();
    // The multipart boundaries declared so far: a line is one only if it
    // is `--<boundary>` (a text's own `--` signature line is not).
    let mut boundaries: Vec<String> = Vec::new();
    let mut body = String::new();
    for line in raw.lines() {
        let is_boundary = boundaries.iter().any(|b| {
            line.strip_prefix("--")
                .is_some_and(|l| l.trim_end_matches('-') == b)
        });
        if is_boundary && !in_headers {
            out.push_str(&decode_body(&encoding, &body));
            body.clear();
            out.push_str(line);
            out.push('\n');
            (in_headers, encoding) = (true, String::new());
            continue;
        }
        if !in_headers {
            body.push_str(line);
            body.push('\n');
            continue;
        }
        if line.starts_with([' ', '\t']) && !headers.is_empty() {
            headers.last_mut().unwrap().push_str(line);
            continue;
        }
        if !line.is_empty() {
            headers.push(line.to_string());
            continue;
        }
        for h in headers.drain(..) {
            if let Some((name, value)) = h.split_once(':') {
                if name.eq_ignore_ascii_case("content-transfer-encoding") {
                    encoding = value.trim().to_ascii_lowercase();
                }
                if let Some(at) = value.find("boundary=\"") {
                    let rest = &value[at + 10..];
                    boundaries.push(rest[..rest.find('"').unwrap_or(rest.len())].to_string());
                }
            }
            out.push_str(&decode_words(&h));
            out.push('\n');
        }
        out.push('\n');
        in_headers = false;
    }
    out.push_str(&decode_body(&encoding, &body));
    out.replace('\n', "\r\n")
}

fn decode_body(encoding: &str, body: &str) -> String {
    match encoding {
        "base64" => {
            let clean: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(clean)
                .expect("base64 body");
            String::from_utf8(bytes)
                .expect("UTF-8 body")
                .replace("\r\n", "\n")
        }
        "quoted-printable" => String::from_utf8(quoted_printable(&body.replace("=\n", ""), false))
            .expect("UTF-8 body"),
        _ => body.to_string(),
    }
}

/// `=XX` as a byte (and `_` as a space in a header's Q word).
fn quoted_printable(text: &str, header: bool) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'='),
                }
            }
            b'_' if header => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// A header with its encoded words decoded; adjacent words are joined
/// (the space between them is not text).
fn decode_words(header: &str) -> String {
    let mut out = String::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut rest = header;
    while let Some(at) = rest.find("=?") {
        let before = &rest[..at];
        if bytes.is_empty() || !before.trim().is_empty() {
            out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut bytes)));
            out.push_str(before);
        }
        let word = &rest[at + 2..];
        let mut parts = word.splitn(3, '?');
        let (_charset, enc, tail) = (parts.next(), parts.next(), parts.next());
        let (Some(enc), Some(tail)) = (enc, tail) else {
            out.push_str("=?");
            rest = word;
            continue;
        };
        let Some(end) = tail.find("?=") else {
            out.push_str("=?");
            rest = word;
            continue;
        };
        let text = &tail[..end];
        match enc {
            "B" | "b" => bytes.extend(
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .expect("base64 word"),
            ),
            _ => bytes.extend(quoted_printable(text, true)),
        }
        rest = &tail[end + 2..];
    }
    out.push_str(&String::from_utf8_lossy(&bytes));
    out.push_str(rest);
    out
}
