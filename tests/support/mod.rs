//! What the in-process tests (`tests/app/`) and the `wrangler dev` tests
//! share: the settings both run with, and readers of listing pages and the
//! listing API that follow them to the end. Included by path by each.
#![allow(dead_code)]

pub mod mime;

/// Secrets and vars of the test environment (placeholder addresses only:
/// contacts live at example.org, visitors write from example.net).
/// Tests publish and read back at once: list pages are not cached unless a
/// test (the cache's own) says otherwise.
/// Bulk mail goes to SES in region us-east-1 (in-process: the fake's SES;
/// under `wrangler dev`: the local stand-in, `SES_ENDPOINT`).
pub const TEST_VARS: [(&str, &str); 11] = [
    ("CACHE_TTL_SECONDS", "0"),
    ("SUPPRESSION_SECRET", "test-suppression-secret"),
    (
        "SNS_TOPIC_ARN",
        "arn:aws:sns:eu-west-1:123456789012:access-alerts-ses-events",
    ),
    ("SES_REGION", "us-east-1"),
    ("SES_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    ("SES_SECRET_ACCESS_KEY", "test-ses-secret"),
    ("SES_CONFIGURATION_SET", "access-alerts"),
    ("SUBSCRIBER_SECRET", "test-subscriber-secret"),
    ("PREVIEW_SECRET", "test-preview-secret"),
    ("OPERATOR_TOKEN", "test-operator-token"),
    (
        "CONTACT_ADDRESSES",
        r#"{"gordon-mackay":"gordon.mackay@example.org","luminita-tuchel":"luminita.tuchel@example.org","inquiries":"inquiries@example.org"}"#,
    ),
];

/// Slugs of the cards on an HTML listing page, and its "Older alerts" link.
pub fn cards(body: &str) -> (Vec<String>, Option<String>) {
    let slugs = body
        .split(r#"<article class="card"><h2><a href="/alerts/"#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    let older = body
        .find(r#"<a rel="next" href=""#)
        .map(|i| &body[i + 20..])
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"));
    (slugs, older)
}

/// The `datetime` of every date on a page, in order.
pub fn dates(body: &str) -> Vec<String> {
    body.split(r#"<time datetime=""#)
        .skip(1)
        .map(|s| s[..20].to_string())
        .collect()
}

/// Every slug of a listing, following "Older alerts" to the end; `get`
/// answers a path with its status and body.
pub fn all_pages(get: impl Fn(&str) -> (u16, String), first: &str) -> Vec<String> {
    let mut slugs = Vec::new();
    let mut next = Some(first.to_string());
    let mut pages = 0;
    while let Some(path) = next {
        let (status, body) = get(&path);
        assert_eq!(status, 200, "{path}");
        let (s, older) = cards(&body);
        let d = dates(&body);
        assert!(
            d.windows(2).all(|p| p[0] >= p[1]),
            "newest first on {path}: {d:?}"
        );
        if pages > 0 {
            assert!(body.contains(">Newest</a>"), "a Newest link on {path}");
        }
        slugs.extend(s);
        next = older;
        pages += 1;
        assert!(pages < 50);
    }
    slugs
}

/// Every alert of `/api/alerts?<query>`, following `next` to the end.
pub fn api_all(get: impl Fn(&str) -> (u16, String), query: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let c = cursor
            .as_deref()
            .map(|c| {
                format!(
                    "&cursor={}",
                    &serde_urlencoded::to_string([("c", c)]).unwrap()[2..]
                )
            })
            .unwrap_or_default();
        let (status, body) = get(&format!("/api/alerts?{query}{c}"));
        assert_eq!(status, 200, "{body}");
        let j: serde_json::Value = serde_json::from_str(&body).unwrap();
        out.extend(j["alerts"].as_array().unwrap().iter().cloned());
        match j["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => {
                assert!(j["next"].is_null());
                break;
            }
        }
    }
    out
}

/// Runs a node test file (`node --test`, from the project root) and checks
/// that all `passes` of its tests passed; prints its report.
pub fn node_tests(file: &str, passes: usize) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("node")
        .arg("--test")
        .arg(root.join(file))
        .current_dir(root)
        .output()
        .expect("node runs (make test installs the toolchain)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("# fail 0") && text.contains(&format!("# pass {passes}\n")),
        "{text}"
    );
    eprintln!("{text}");
}

/// The token of the first link to `path` (`/unsubscribe?t=`) in an email
/// or a page.
pub fn link_token(text: &str, path: &str) -> String {
    let at = text
        .find(path)
        .unwrap_or_else(|| panic!("no {path} in {text}"))
        + path.len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect()
}
