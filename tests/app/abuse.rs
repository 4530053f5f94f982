//! Abuse bounded (issue 22, part 3): the hourly budget of confirmation
//! emails, IPv6 clients grouped by /48 for subscribing, the rate limiter
//! switched off only in a diagnostics build (and said by `/healthz`),
//! pruning of old mail records, and subscriber links that re-confirming
//! revokes.

use crate::contact::{json_inquiry, post as contact_post};
use crate::fake::{Site, TestRequest};
use crate::json;

const FORM: &str = "application/x-www-form-urlencoded";

/// A subscription request for `email` from client address `ip`.
fn ask(site: &Site, email: &str, ip: &str) -> access_alerts::app::Response {
    let body = format!("email={}&consent=yes&scope=all", email.replace('@', "%40"));
    site.send(TestRequest::post("/subscribe", FORM, &body).header("CF-Connecting-IP", ip))
}

#[test]
fn subscribing_groups_an_ipv6_client_by_its_48_and_the_contact_form_by_its_64() {
    let site = Site::from_content();
    // Eleven /64s of one /48: one bucket for subscribing (the fake allows
    // ten a key).
    let statuses: Vec<u16> = (0..11)
        .map(|i| {
            ask(
                &site,
                &format!("r{i}@example.net"),
                &format!("2001:db8:7:{i:x}::1"),
            )
            .status
        })
        .collect();
    assert_eq!(statuses[..10], [303; 10]);
    assert_eq!(statuses[10], 429, "{statuses:?}");
    assert_eq!(site.fake.limited.borrow()["subscribe:2001:db8:7::/48"], 11);
    assert_eq!(
        ask(&site, "other@example.net", "2001:db8:8::1").status,
        303,
        "another /48 has its own bucket"
    );
    // The contact form: each /64 its own bucket.
    for i in 0..11 {
        let r = contact_post(
            &site,
            "application/json",
            &json_inquiry("inquiries", &format!("m{i}")),
            &[("CF-Connecting-IP", &format!("2001:db8:7:{i:x}::1"))],
        );
        assert_eq!(r.status, 202, "{i}: {}", r.text());
    }
    assert!(site
        .fake
        .limited
        .borrow()
        .contains_key("contact:2001:db8:7:a::/64"));
}

#[test]
fn the_rate_limiter_is_switched_off_only_in_a_diagnostics_build_and_healthz_says_so() {
    let site = Site::from_content_with(&[("RATE_LIMIT_DISABLED", "1")]);
    let health = site.get("/healthz");
    let body = json(&health);
    let statuses: Vec<u16> = (0..11)
        .map(|i| ask(&site, &format!("r{i}@example.net"), "192.0.2.9").status)
        .collect();
    if cfg!(feature = "diagnostics") {
        assert_eq!(health.status, 200, "{body}");
        assert_eq!(body["rate_limit"], "disabled");
        assert_eq!(statuses, [303; 11]);
    } else {
        assert_eq!(health.status, 503);
        assert_eq!(body["rate_limit"], "on");
        assert!(
            body["problems"].as_array().unwrap().iter().any(|p| p
                .as_str()
                .unwrap()
                .starts_with("RATE_LIMIT_DISABLED is set")),
            "{body}"
        );
        assert_eq!(statuses[10], 429, "the limiter stays on: {statuses:?}");
    }
    let normal = Site::from_content().get("/healthz");
    assert_eq!(normal.status, 200);
    assert_eq!(json(&normal)["rate_limit"], "on");
}
