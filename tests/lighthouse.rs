//! Lighthouse (npm, 12.x) in Debian's headless Chromium on the pages readers
//! and visitors use: accessibility, performance, best practices and SEO.

mod common;

use common::{content_copy, root, Worker};
use std::process::Command;

#[test]
fn pages_score_well_in_lighthouse() {
    let chromium = std::env::var("CHROME_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "{chromium} is missing: `make test` installs Debian's chromium"
    );
    let w = Worker::start(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for path in [
        "/",
        "/alerts/oewg-collective-call-against-barring-organisations",
        // Right to left and CJK (issue 24).
        "/ar/alerts/oewg-collective-call-against-barring-organisations",
        "/zh/alerts/oewg-collective-call-against-barring-organisations",
        "/ar/",
        "/zh/",
        "/contact",
        "/ar/contact",
        "/zh/contact",
        "/subscribe",
        "/ar/subscribe",
        "/zh/subscribe",
        "/archive/2024/11",
        "/search?q=accreditation",
        "/ar/search?q=%D8%A7%D9%85%D9%86",
        "/zh/search?q=%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8",
    ] {
        let report = dir.path().join("report.json");
        let profile = tempfile::tempdir().unwrap();
        let status = Command::new(root().join("node_modules/.bin/lighthouse"))
            .arg(w.url(path))
            .args(["--quiet", "--output=json", "--only-categories=performance,accessibility,best-practices,seo"])
            .arg(format!("--output-path={}", report.display()))
            .arg(format!(
                "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir={}",
                profile.path().display()
            ))
            .env("CHROME_PATH", &chromium)
            .status()
            .expect("lighthouse runs");
        assert!(status.success(), "lighthouse failed on {path}");
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        let score = |c: &str| r["categories"][c]["score"].as_f64().unwrap_or(0.0);
        let scores =
            ["performance", "accessibility", "best-practices", "seo"].map(|c| (c, score(c)));
        eprintln!("{path}: {scores:?}");
        for (category, minimum) in [
            ("performance", 0.9),
            ("accessibility", 1.0),
            ("best-practices", 1.0),
            ("seo", 1.0),
        ] {
            let failing: Vec<String> = r["audits"]
                .as_object()
                .unwrap()
                .values()
                .filter(|a| {
                    a["score"].as_f64().is_some_and(|s| s < 1.0)
                        && a["scoreDisplayMode"] == "binary"
                })
                .map(|a| a["id"].as_str().unwrap_or("").to_string())
                .collect();
            // Search results are `noindex` on purpose: that one SEO audit
            // may fail there, and nothing else.
            let noindex_only = path
                .split('?')
                .next()
                .is_some_and(|p| p.ends_with("/search"))
                && category == "seo"
                && failing.iter().all(|id| id == "is-crawlable");
            if score(category) < minimum && !noindex_only {
                failures.push(format!(
                    "{path}: {category} {} < {minimum} (failing audits: {failing:?})",
                    score(category)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
