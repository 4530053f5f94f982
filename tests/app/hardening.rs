//! What the site never shows and never does, whatever visitors send and
//! editors type (issue 11): embargoed alerts stay out of every output until
//! their date, oversized or crafted input is refused without harm, and
//! operations stay within KV's limits.

use crate::contact::{json_inquiry, post};
use crate::fake::{Site, TestRequest, ORIGIN};
use crate::{json, SEED};
use access_alerts::app::{Outcome, QueueKind};
use access_alerts::routes::Method;

const DRAFT: &str = "+++\ntitle = \"Embargoed draft title\"\ndate = 2024-11-20\ncategory = \"Opinion\"\ntags = [\"Embargo Tag\"]\nrelated = [\"embargo-public\"]\naliases = [\"/old/embargo-draft\"]\ndraft = true\n+++\nDraft body.\n";
const SCHEDULED: &str = "+++\ntitle = \"Embargoed scheduled title\"\ndate = 2024-12-01T01:00:00Z\ncategory = \"Opinion\"\ntags = [\"Embargo Tag\"]\nrelated = [\"embargo-public\"]\naliases = [\"/old/embargo-scheduled\"]\n+++\nScheduled body.\n";
const PUBLIC: &str = "+++\ntitle = \"Public alert that links both\"\ndate = 2024-11-27\ncategory = \"Opinion\"\nrelated = [\"embargo-draft\", \"embargo-scheduled\"]\n+++\nPublic body.\n";

fn embargo_site() -> Site {
    let site = Site::from_content();
    site.publish_files(&[
        ("embargo-draft", DRAFT),
        ("embargo-scheduled", SCHEDULED),
        ("embargo-public", PUBLIC),
    ])
    .unwrap();
    site
}

/// Every output a reader, a feed reader, a crawler or a script can reach.
const OUTPUTS: [&str; 19] = [
    "/",
    "/category/opinion",
    "/tag/embargo-tag",
    "/archive/2024/11",
    "/archive/2024/12",
    "/feed.xml",
    "/feed.json",
    "/category/opinion/feed.xml",
    "/sitemap.xml",
    "/sitemap/2024-11.xml",
    "/sitemap/2024-12.xml",
    "/sitemap/pages.xml",
    "/api/alerts?limit=100",
    "/api/alerts?tag=embargo-tag",
    "/api/alerts/embargo-public",
    "/alerts/embargo-public",
    "/healthz",
    "/old/embargo-draft",
    "/old/embargo-scheduled",
];

fn leaks(site: &Site, secret: &str) -> Vec<&'static str> {
    OUTPUTS
        .iter()
        .copied()
        .filter(|path| {
            let r = site.get(path);
            r.text().contains(secret) || r.headers().iter().any(|(_, v)| v.contains(secret))
        })
        .collect()
}

#[test]
fn embargoed_alerts_appear_nowhere_until_public() {
    let site = embargo_site();
    for secret in [
        "embargo-draft",
        "Embargoed draft title",
        "embargo-scheduled",
        "Embargoed scheduled title",
        "2024/12",
        "2024-12",
    ] {
        assert_eq!(leaks(&site, secret), Vec::<&str>::new(), "{secret}");
    }
    let unknown = site.get("/old/never-existed");
    for alias in ["/old/embargo-draft", "/old/embargo-scheduled"] {
        let r = site.get(alias);
        assert_eq!(
            (r.status, r.text()),
            (404, unknown.text()),
            "{alias} answers like an unknown path"
        );
    }
    assert_eq!(
        site.get("/tag/embargo-tag").text(),
        site.get("/tag/never-used").text()
    );
    assert!(
        !site
            .get("/sitemap/pages.xml")
            .text()
            .contains("embargo-tag"),
        "a tag only embargoed alerts carry has no page to name"
    );
    // No validator changes with what is not shown: the same site with the
    // embargoed alerts edited answers every output with the same ETags.
    let edited = Site::from_content();
    edited
        .publish_files(&[
            (
                "embargo-draft",
                &DRAFT.replace("Draft body.", "Draft body, edited."),
            ),
            (
                "embargo-scheduled",
                &SCHEDULED.replace(
                    "Embargoed scheduled title",
                    "Embargoed scheduled title, edited",
                ),
            ),
            ("embargo-public", PUBLIC),
        ])
        .unwrap();
    for path in OUTPUTS {
        assert_eq!(
            site.get(path).header("etag"),
            edited.get(path).header("etag"),
            "{path}"
        );
    }

    // At its date the scheduled alert appears by itself; the draft never.
    site.fake.advance_seconds(3600);
    let page = site.get("/alerts/embargo-public").text();
    assert!(
        page.contains("/alerts/embargo-scheduled") && page.contains("Embargoed scheduled title"),
        "related"
    );
    for path in [
        "/",
        "/category/opinion",
        "/tag/embargo-tag",
        "/archive/2024/12",
        "/feed.xml",
        "/sitemap/2024-12.xml",
        "/api/alerts?limit=100",
    ] {
        assert!(
            site.get(path).text().contains("embargo-scheduled"),
            "{path}"
        );
    }
    assert!(site
        .get("/sitemap/pages.xml")
        .text()
        .contains("/tag/embargo-tag</loc>"));
    assert!(
        site.get("/archive/2024/11")
            .text()
            .contains("/archive/2024/12"),
        "month navigation"
    );
    let moved = site.get("/old/embargo-scheduled");
    assert_eq!(
        (moved.status, moved.header("location")),
        (301, Some("/alerts/embargo-scheduled".into()))
    );
    assert_eq!(leaks(&site, "embargo-draft"), Vec::<&str>::new());
    assert_eq!(leaks(&site, "Embargoed draft title"), Vec::<&str>::new());
}

#[test]
fn the_publisher_never_stores_a_draft_as_related() {
    let site = embargo_site();
    let public = site.stored_record("embargo-public");
    let related: Vec<&str> = public.related.iter().map(|r| r.slug.as_str()).collect();
    assert_eq!(
        related,
        ["embargo-scheduled"],
        "the draft is left out; the scheduled one is checked per request"
    );
}

#[test]
fn an_alias_redirects_only_to_a_valid_slug() {
    let site = Site::from_content();
    site.fake
        .put_raw("alias:/evil", b"https://evil.example.net/", None);
    site.fake.put_raw("alias:/dots", b"../../etc", None);
    for path in ["/evil", "/dots"] {
        let r = site.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.header("location").is_none());
    }
    assert!(site
        .fake
        .logged()
        .contains("alias key=alias:/evil reason=not a slug"));
}

#[test]
fn the_honeypot_changes_no_answer() {
    let site = Site::from_content();
    let invalid = "name=Bot&email=nope&contact=inquiries&subject=S&message=M&consent=yes";
    let plain = post(&site, "application/x-www-form-urlencoded", invalid, &[]);
    let baited = post(
        &site,
        "application/x-www-form-urlencoded",
        &format!("{invalid}&website=http%3A%2F%2Fspam.example.net"),
        &[],
    );
    assert_eq!((plain.status, baited.status), (422, 422));
    assert_eq!(
        plain.text().replace("http://spam.example.net", ""),
        baited.text().replace("http://spam.example.net", "")
    );
    let mut spam: serde_json::Value =
        serde_json::from_str(&json_inquiry("inquiries", "Buy now")).unwrap();
    spam["website"] = "http://spam.example.net".into();
    let a = post(&site, "application/json", &spam.to_string(), &[]);
    let b = post(&site, "application/json", &spam.to_string(), &[]);
    assert_eq!((a.status, b.status), (202, 202));
    assert_eq!(
        json(&a)["id"],
        json(&b)["id"],
        "a repeat is answered like a person's repeat"
    );
    assert!(site.fake.queue.borrow().is_empty(), "never sent");
    // A person's identical post afterwards is not taken for a repeat of it,
    // and its answer has the same shape.
    let genuine = post(
        &site,
        "application/json",
        &json_inquiry("inquiries", "Buy now"),
        &[],
    );
    assert_eq!(genuine.status, 202);
    assert_ne!(json(&genuine)["id"], json(&a)["id"]);
    assert_eq!(
        json(&genuine)["id"].as_str().unwrap().len(),
        json(&a)["id"].as_str().unwrap().len()
    );
    assert_eq!(genuine.headers(), a.headers());
    assert_eq!(
        site.fake.queue.borrow().len(),
        1,
        "the person's post is sent"
    );
}

#[test]
fn the_rate_limit_takes_an_ipv6_client_by_its_64_and_refuses_the_anonymous() {
    let site = Site::from_content();
    let statuses: Vec<u16> = (0..12)
        .map(|i| {
            let ip = format!("2001:db8:aa:bb:{i:x}::{i:x}");
            post(
                &site,
                "application/json",
                &json_inquiry("inquiries", &format!("m{i}")),
                &[("CF-Connecting-IP", &ip)],
            )
            .status
        })
        .collect();
    assert_eq!(&statuses[..10], &[202; 10]);
    assert_eq!(
        &statuses[10..],
        &[429, 429],
        "rotating addresses within a /64 does not escape the limit"
    );
    let other = post(
        &site,
        "application/json",
        &json_inquiry("inquiries", "other"),
        &[("CF-Connecting-IP", "2001:db8:aa:cc::1")],
    );
    assert_eq!(other.status, 202, "another /64 has its own bucket");
    let anonymous = site.send(TestRequest::post(
        "/contact",
        "application/json",
        &json_inquiry("inquiries", "anon"),
    ));
    assert_eq!(anonymous.status, 400);
    assert!(json(&anonymous)["error"]
        .as_str()
        .unwrap()
        .contains("which address it comes from"));
    let garbage = post(
        &site,
        "application/json",
        &json_inquiry("inquiries", "x"),
        &[("CF-Connecting-IP", "unknown")],
    );
    assert_eq!(garbage.status, 400);
}

#[test]
fn an_inquiry_with_an_unsafe_header_is_kept_not_sent() {
    let site = Site::from_content();
    let q = serde_json::json!({"id": "0000crlf", "received_at": "2024-11-26T10:00:00Z", "contact": "inquiries",
        "name": "Grace", "email": "grace@example.net", "organisation": "", "subject": "Hi\r\nBcc: victim@example.net", "message": "m"});
    assert_eq!(site.consume(QueueKind::Inquiries, &q), Outcome::Ack);
    assert!(site.fake.mail.borrow().is_empty());
    assert!(site
        .fake
        .logged()
        .contains("inquiry id=0000crlf error=unsafe-header header=Subject"));
    assert!(
        site.fake.value("inq:dead:0000crlf").is_some(),
        "kept for the operator"
    );
    let non_ascii = post(
        &site,
        "application/json",
        &json_inquiry("inquiries", "x").replace("ada@example.net", "zoë@example.net"),
        &[],
    );
    assert_eq!(non_ascii.status, 422);
    assert!(json(&non_ascii)["errors"]["email"]
        .as_str()
        .unwrap()
        .contains("plain letters"));
}

#[test]
fn a_date_typo_in_kv_bounds_the_archive_and_sitemap() {
    let site = Site::from_content();
    let mut record = access_alerts::content::AlertRecord::new(
        "ancient",
        "Ancient typo",
        chrono::DateTime::from_timestamp(-62_135_596_800, 0).unwrap(),
        "Year one.",
    );
    record.hash = "ancient".into();
    site.fake.publish(&record);
    for path in ["/sitemap.xml", "/archive/2024/11"] {
        site.fake.kv_calls.set(0);
        let r = site.get(path);
        assert_eq!(r.status, 200, "{path}");
        let calls = site.fake.kv_calls.get();
        assert!(calls < 100, "{path}: {calls} KV calls");
    }
}

#[test]
fn a_non_ascii_tag_has_pages_that_answer_and_sitemap_urls_that_parse() {
    let site = Site::from_content();
    site.publish_files(&[("turkiye-alert", "+++\ntitle = \"Türkiye alert\"\ndate = 2024-11-21\ncategory = \"Région\"\ntags = [\"Türkiye\"]\n+++\nBody.\n")])
        .unwrap();
    let part = site.get("/sitemap/pages.xml").text();
    assert!(
        part.contains(&format!("{ORIGIN}/tag/t%C3%BCrkiye"))
            && part.contains(&format!("{ORIGIN}/category/r%C3%A9gion")),
        "{part}"
    );
    for path in [
        "/tag/t%C3%BCrkiye",
        "/category/r%C3%A9gion",
        "/category/r%C3%A9gion/feed.xml",
    ] {
        assert_eq!(site.get(path).status, 200, "{path}");
    }
    let page = site.get("/alerts/turkiye-alert").text();
    assert!(
        page.contains(r#"href="/tag/t%C3%BCrkiye""#),
        "links are encoded the same way"
    );
}

#[test]
fn a_control_character_in_kv_leaves_the_feed_parseable() {
    let site = Site::from_content();
    let mut record = site.stored_record(SEED);
    record.title = "Vertical\u{0B}tab".into();
    record.body = "Form\u{0C}feed".into();
    record.hash = "changed".into();
    site.publish(&record);
    let feed = site.get("/feed.xml").text();
    roxmltree::Document::parse(&feed).expect("the feed stays parseable");
}

#[test]
fn every_id_on_an_alert_page_is_unique() {
    let site = Site::from_content();
    site.publish_files(&[("ids-alert", "+++\ntitle = \"Ids\"\ndate = 2024-11-21\ncategory = \"Opinion\"\ncontacts = [\"gordon-mackay\"]\n+++\n# Main\n\n## Contacts heading\n\n## Related heading\n\n## Main\n\nA note[^main].\n\n[^main]: A footnote called main.\n")])
        .unwrap();
    let page = site.get("/alerts/ids-alert").text();
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(
        ids.contains(&"main")
            && ids.contains(&"contacts-heading")
            && ids.contains(&"related-heading"),
        "{ids:?}"
    );
}

#[test]
fn the_dead_letter_listing_pages_by_100_with_one_kv_call_a_page() {
    let site = Site::from_content();
    for i in 0..2500 {
        let q = serde_json::json!({"id": format!("dead{i:05}"), "received_at": "2024-11-26T10:00:00Z", "contact": "inquiries",
            "name": "Grace", "email": "grace@example.net", "organisation": "", "subject": format!("Subject {i}"), "message": "m".repeat(20_000)});
        assert_eq!(site.consume(QueueKind::DeadLetters, &q), Outcome::Ack);
    }
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &next {
            Some(c) => format!("/operator/inquiries?cursor={c}"),
            None => "/operator/inquiries".into(),
        };
        site.fake.kv_calls.set(0);
        let r = site.send(
            TestRequest::new(Method::Get, &path)
                .header("Authorization", "Bearer test-operator-token"),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(site.fake.kv_calls.get(), 1, "one list() a page");
        let j = json(&r);
        let items = j["inquiries"].as_array().unwrap();
        assert!(items.len() <= 100);
        assert!(items.iter().all(|i| i["subject"]
            .as_str()
            .is_some_and(|s| s.starts_with("Subject "))));
        seen.extend(items.iter().map(|i| i["id"].as_str().unwrap().to_string()));
        pages += 1;
        match j["next"].as_str() {
            Some(c) => next = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!((pages, seen.len()), (25, 2500));
    for bad in ["!!!", "abc"] {
        let r = site.send(
            TestRequest::new(Method::Get, &format!("/operator/inquiries?cursor={bad}"))
                .header("Authorization", "Bearer test-operator-token"),
        );
        assert_eq!(r.status, 400, "cursor {bad}");
    }
    let one = site.send(
        TestRequest::new(Method::Get, "/operator/inquiries/dead00042")
            .header("Authorization", "Bearer test-operator-token"),
    );
    assert_eq!(json(&one)["subject"], "Subject 42");
    assert_eq!(
        json(&one)["message"].as_str().unwrap().len(),
        20_000,
        "the whole inquiry"
    );
}

#[test]
fn a_broken_configuration_is_said_loudly_by_name() {
    let malformed = Site::from_content_with(&[(
        "CONTACT_ADDRESSES",
        r#"{"gordon-mackay": "gordon.mackay@example.org""#,
    )]);
    let r = malformed.get("/healthz");
    assert_eq!(r.status, 503);
    assert_eq!(
        json(&r)["problems"],
        serde_json::json!(["CONTACT_ADDRESSES is not a JSON object of contact ids to addresses"])
    );
    assert!(
        !r.text().contains("example.org"),
        "names only, never values"
    );
    let missing = Site::from_content_with(&[(
        "CONTACT_ADDRESSES",
        r#"{"gordon-mackay": "gordon.mackay@example.org", "inquiries": "inquiries@example.org"}"#,
    )]);
    let r = missing.get("/healthz");
    assert_eq!(r.status, 503);
    assert_eq!(
        json(&r)["problems"],
        serde_json::json!(["CONTACT_ADDRESSES has no address for contact `luminita-tuchel`"])
    );
    let no_site = Site::with(&[("SITE_URL", "")]);
    assert_eq!(
        json(&no_site.get("/healthz"))["problems"],
        serde_json::json!(["SITE_URL is not set"])
    );
    assert_eq!(Site::from_content().get("/healthz").status, 200);
}

#[test]
fn preview_links_live_no_longer_than_allowed() {
    let now = crate::fake::START_MILLIS / 1000;
    let link =
        access_alerts::preview::link("test-preview-secret", "draft-alert", now + 31 * 86_400);
    let draft = "+++\ntitle = \"Secret draft\"\ndate = 2024-01-01\ndraft = true\n+++\nDraft.\n";
    let site = Site::from_content();
    site.publish_text("draft-alert", draft);
    let r = site.get(&link);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("longer than the site allows"));
    let longer = Site::with(&[("PREVIEW_MAX_DAYS", "40")]);
    longer.publish_text("draft-alert", draft);
    assert_eq!(longer.get(&link).status, 200);
    let plus = link.replace(
        &format!("exp={}", now + 31 * 86_400),
        &format!("exp=%2B{}", now + 31 * 86_400),
    );
    assert_eq!(longer.get(&plus).status, 403, "`+N` is not digits only");
}

#[test]
fn many_scheduled_alerts_ahead_hide_no_public_month() {
    let site = Site::from_content();
    let mut files = vec![("december-public".to_string(), "+++\ntitle = \"Public on the first of December\"\ndate = 2024-12-01T00:00:00Z\ncategory = \"Opinion\"\n+++\nNow.\n".to_string())];
    for i in 0..30 {
        files.push((
            format!("later-{i:02}"),
            format!("+++\ntitle = \"Scheduled {i}\"\ndate = 2024-12-01T{:02}:{:02}:00Z\ncategory = \"Opinion\"\n+++\nLater.\n", 1 + i / 60, i % 60),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site.publish_files(&files).unwrap();
    let december = site.get("/archive/2024/12");
    assert_eq!(december.status, 200);
    assert!(december.text().contains("/alerts/december-public"));
    assert!(site
        .get("/sitemap.xml")
        .text()
        .contains("/sitemap/2024-12.xml"));
    assert!(
        site.get("/archive/2024/11")
            .text()
            .contains("/archive/2024/12"),
        "the month link"
    );
    assert!(site.get("/").text().contains("/alerts/december-public"));
    // A page that gives up among them says so without a cursor into them.
    let one = json(&site.get("/api/alerts?limit=1"));
    if one["alerts"].as_array().unwrap().is_empty() {
        assert!(one["next"].is_null(), "{one}");
    }
    assert!(!site.get("/api/alerts?limit=1").text().contains("later-"));
}
