//! The contact form's rate limit (binding CONTACT_LIMITER, keyed by the
//! client address the runtime gives in CF-Connecting-IP), in its own
//! wrangler dev so other tests are not throttled; and a missing setting,
//! said by /healthz and the log.

mod common;

use common::{content_copy, Worker};

#[test]
fn a_burst_beyond_the_limit_gets_429_with_retry_after() {
    // Test routes off, as in production: unknown for every method.
    // And without SITE_URL, which /healthz and the log must say (by name).
    let w = Worker::start(&[
        ("RATE_LIMIT_DISABLED", "0"),
        ("TEST_ROUTES", "0"),
        ("SITE_URL", ""),
    ]);
    let health = w.get("/healthz");
    assert_eq!(health.status, 503);
    assert_eq!(
        health.json()["problems"],
        serde_json::json!(["SITE_URL is not set"])
    );
    w.wait_for_log(
        "configuration: SITE_URL is not set",
        1,
        std::time::Duration::from_secs(5),
    );
    for path in ["/__test/panic", "/__test/panic-now", "/__test/enqueue"] {
        assert_eq!(w.get(path).status, 404, "{path}");
        assert_eq!(w.request("POST", path, &[], b"{}").status, 404, "{path}");
    }
    let content = content_copy();
    w.publish(content.path(), false);
    let mut statuses = Vec::new();
    for i in 0..25 {
        let body =
            serde_json::json!({"name": "Ada", "email": "ada@example.net", "contact": "inquiries",
            "subject": "Burst", "message": format!("message {i}"), "consent": true})
            .to_string();
        let r = w.request(
            "POST",
            "/contact",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        if r.status == 429 {
            assert_eq!(r.header("retry-after"), Some("60"));
            assert!(r.json()["error"].as_str().unwrap().contains("Too many"));
        }
        statuses.push(r.status);
    }
    let accepted = statuses.iter().filter(|s| **s == 202).count();
    assert!(
        accepted >= 5,
        "a person's normal use (5 a minute) stays under the limit: {statuses:?}"
    );
    assert!(
        statuses.contains(&429),
        "the burst is limited: {statuses:?}"
    );
    assert!(statuses[..5].iter().all(|s| *s == 202), "{statuses:?}");
}
