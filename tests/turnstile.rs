//! Turnstile, switched on by its secret, verified server-side against a local
//! stand-in that follows Cloudflare's documented siteverify contract and its
//! documented test secrets (always passes / always fails).

mod common;

use common::{content_copy, Worker};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const ALWAYS_PASSES: &str = "1x0000000000000000000000000000000AA";
const ALWAYS_FAILS: &str = "2x0000000000000000000000000000000AA";
const SITE_KEY: &str = "1x00000000000000000000AA";
const DUMMY_TOKEN: &str = "XXXX.DUMMY.TOKEN.XXXX";

/// POST /siteverify with form fields `secret`, `response`, optional `remoteip`.
fn siteverify_stand_in() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/siteverify", listener.local_addr().unwrap());
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let fields: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&body).unwrap_or_default();
            let get = |k: &str| {
                fields
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("")
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let answer = match (get("secret"), get("response")) {
                (_, "") => {
                    serde_json::json!({"success": false, "error-codes": ["missing-input-response"]})
                }
                (ALWAYS_PASSES, _) => {
                    serde_json::json!({"success": true, "challenge_ts": "2024-11-26T10:00:00.000Z",
                    "hostname": "example.com", "error-codes": [], "action": "", "cdata": ""})
                }
                (ALWAYS_FAILS, _) => {
                    serde_json::json!({"success": false, "error-codes": ["invalid-input-response"]})
                }
                _ => serde_json::json!({"success": false, "error-codes": ["invalid-input-secret"]}),
            }
            .to_string();
            let mut out = stream;
            let _ = write!(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len());
        }
    });
    (url, calls)
}

fn inquiry(token: Option<&str>) -> String {
    let mut j = serde_json::json!({"name": "Ada", "email": "ada@example.net", "contact": "inquiries",
        "subject": "Turnstile", "message": "Checked by Turnstile", "consent": true});
    if let Some(t) = token {
        j["cf-turnstile-response"] = t.into();
    }
    j.to_string()
}

#[test]
fn turnstile_is_verified_server_side() {
    let (url, calls) = siteverify_stand_in();
    let content = content_copy();

    let w = Worker::start(&[
        ("TURNSTILE_SECRET", ALWAYS_PASSES),
        ("TURNSTILE_SITE_KEY", SITE_KEY),
        ("TURNSTILE_VERIFY_URL", &url),
    ]);
    w.publish(content.path(), false);
    let page = w.get("/contact");
    assert!(page.body.contains(
        r#"<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer>"#
    ));
    assert!(page.body.contains(&format!(r#"data-sitekey="{SITE_KEY}""#)));
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src https://challenges.cloudflare.com;"),
        "{csp}"
    );
    assert!(
        w.get("/")
            .header("content-security-policy")
            .unwrap()
            .contains("script-src 'none'"),
        "only the form loads it"
    );
    let json = [("Content-Type", "application/json")];
    let missing = w.request("POST", "/contact", &json, inquiry(None).as_bytes());
    assert_eq!(missing.status, 403);
    assert!(missing.json()["error"]
        .as_str()
        .unwrap()
        .contains("anti-robot check"));
    let ok = w.request(
        "POST",
        "/contact",
        &json,
        inquiry(Some(DUMMY_TOKEN)).as_bytes(),
    );
    assert_eq!(ok.status, 202, "{}", ok.body);
    assert!(calls.load(Ordering::SeqCst) >= 1, "verified server-side");
    drop(w);

    let before = calls.load(Ordering::SeqCst);
    let w = Worker::start(&[
        ("TURNSTILE_SECRET", ALWAYS_FAILS),
        ("TURNSTILE_SITE_KEY", SITE_KEY),
        ("TURNSTILE_VERIFY_URL", &url),
    ]);
    w.publish(content.path(), false);
    let failed = w.request(
        "POST",
        "/contact",
        &json,
        inquiry(Some(DUMMY_TOKEN)).as_bytes(),
    );
    assert_eq!(failed.status, 403);
    assert!(calls.load(Ordering::SeqCst) > before);
    let form = w.request(
        "POST",
        "/contact",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("name=Ada&email=ada%40example.net&contact=inquiries&subject=S&message=Keep+me&consent=yes&cf-turnstile-response={DUMMY_TOKEN}").as_bytes(),
    );
    assert_eq!(form.status, 403);
    assert!(
        form.body.contains("anti-robot check") && form.body.contains(">Keep me</textarea>"),
        "form kept with a clear message"
    );
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(w.emails().len(), 0);
}
