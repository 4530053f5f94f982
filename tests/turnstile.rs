//! Turnstile, switched on by its secret, verified server-side against a local
//! stand-in that follows Cloudflare's documented siteverify contract and its
//! documented test secrets (always passes / always fails).

mod common;

use common::{content_copy, Worker};

const ALWAYS_PASSES: &str = "1x0000000000000000000000000000000AA";
const ALWAYS_FAILS: &str = "2x0000000000000000000000000000000AA";
const SITE_KEY: &str = "1x00000000000000000000AA";
const DUMMY_TOKEN: &str = "XXXX.DUMMY.TOKEN.XXXX";

/// POST /siteverify with form fields `secret`, `response`, optional
/// `remoteip`; every request it was sent.
fn siteverify_stand_in() -> (String, common::Asked) {
    let (origin, asked) = common::stand_in(|_, body| {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
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
        };
        (200, answer.to_string())
    });
    (format!("{origin}/siteverify"), asked)
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
    assert!(!calls.lock().unwrap().is_empty(), "verified server-side");
    drop(w);

    let before = calls.lock().unwrap().len();
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
    assert!(calls.lock().unwrap().len() > before);
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
