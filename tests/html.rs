//! Every kind of page the site serves is valid HTML (and the stylesheet valid
//! CSS) according to the Nu Html Checker (npm vnu-jar, run with the
//! machine's Java).

mod common;

use common::{content_copy, root, Worker};
use std::process::Command;

#[test]
fn pages_are_valid_html() {
    // D1 too: the unsubscribe page reads the subscriber's links' version.
    let w = Worker::start_with_d1(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    // The confirm and unsubscribe buttons, behind links signed as the
    // Worker signs them (`SUBSCRIBER_SECRET` of the tests).
    use access_alerts::mail::token::{sign, unsubscribe as unsubscribe_token, Purpose};
    let secret = "test-subscriber-secret";
    let exp = chrono::Utc::now().timestamp() + 3600;
    let confirm = format!(
        "/subscribe/confirm?t={}",
        sign(secret, Purpose::Confirm, "0123456789abcdef", exp)
    );
    let unsubscribe = format!(
        "/unsubscribe?t={}",
        unsubscribe_token(secret, "0123456789abcdef", 0)
    );
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut save = |name: &str, body: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        files.push(path);
    };
    for (name, path) in [
        ("home.html", "/" as &str),
        (
            "alert.html",
            "/alerts/oewg-collective-call-against-barring-organisations",
        ),
        (
            "short-alert.html",
            "/alerts/australia-social-media-ban-for-under-16s",
        ),
        // Right to left and CJK (issue 24), and a translation that
        // doesn't exist (a 404 linking the versions that do).
        (
            "alert-ar.html",
            "/ar/alerts/oewg-collective-call-against-barring-organisations",
        ),
        (
            "alert-zh.html",
            "/zh/alerts/oewg-collective-call-against-barring-organisations",
        ),
        (
            "alert-fr.html",
            "/fr/alerts/oewg-collective-call-against-barring-organisations",
        ),
        (
            "missing-translation.html",
            "/ru/alerts/australia-social-media-ban-for-under-16s",
        ),
        ("home-ar.html", "/ar/"),
        ("home-zh.html", "/zh/"),
        ("category-fr.html", "/fr/category/opinion"),
        ("archive-es.html", "/es/archive/2024/11"),
        ("category.html", "/category/opinion"),
        ("tag.html", "/tag/cybersecurity"),
        ("archive.html", "/archive/2024/11"),
        ("contact.html", "/contact?to=gordon-mackay"),
        ("thanks.html", "/contact/thanks"),
        ("privacy.html", "/privacy"),
        (
            "search.html",
            "/search?q=barring+organisations&category=opinion",
        ),
        ("search-empty.html", "/search?q=acreditation"),
        ("search-ar.html", "/ar/search?q=%D8%A7%D9%85%D9%86"),
        (
            "search-zh.html",
            "/zh/search?q=%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8",
        ),
        ("subscribe.html", "/subscribe"),
        ("subscribe-check.html", "/subscribe/check"),
        ("confirm.html", &confirm),
        ("unsubscribe.html", &unsubscribe),
        // The subscriber pages in a right-to-left and a CJK language.
        ("subscribe-ar.html", "/ar/subscribe"),
        ("subscribe-zh.html", "/zh/subscribe"),
        ("subscribe-check-ar.html", "/ar/subscribe/check"),
        ("confirm-zh.html", &format!("/zh{confirm}")),
        ("unsubscribe-ar.html", &format!("/ar{unsubscribe}")),
        // The contact form, its thanks and the privacy notice likewise.
        ("contact-ar.html", "/ar/contact?to=gordon-mackay"),
        ("contact-zh.html", "/zh/contact"),
        ("thanks-ar.html", "/ar/contact/thanks"),
        ("privacy-zh.html", "/zh/privacy"),
        ("not-found.html", "/no-such-page"),
        ("not-found-ar.html", "/ar/no-such-page"),
    ] {
        let r = w.get(path);
        let expected = if name.starts_with("not-found") || name == "missing-translation.html" {
            404
        } else {
            200
        };
        assert_eq!(r.status, expected, "{path}");
        save(name, r.body);
    }
    // The editors' category and tag names, published from names.toml.
    let ar = w.get("/ar/alerts/oewg-collective-call-against-barring-organisations");
    assert!(
        ar.body.contains(">الأمم المتحدة</a>") && ar.body.contains(">رأي</a>"),
        "{}",
        ar.body
    );
    // Forms sent back with their errors.
    for (name, path, body) in [
        (
            "contact-errors.html",
            "/contact",
            &b"name=&email=x&contact=nobody"[..],
        ),
        (
            "contact-errors-ar.html",
            "/ar/contact",
            &b"name=&email=x&contact=nobody&subject=a%0Ab"[..],
        ),
        (
            "subscribe-errors.html",
            "/subscribe",
            b"email=x&scope=chosen&frequency=weekly",
        ),
        (
            "subscribe-errors-ar.html",
            "/ar/subscribe",
            b"email=x&scope=chosen&frequency=weekly&lang=de",
        ),
    ] {
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        let invalid = w.request("POST", path, &form, body);
        assert_eq!(invalid.status, 422, "{path}");
        save(name, invalid.body);
    }
    let home = w.get("/");
    let start = home.body.find("/assets/site.").unwrap();
    let css = &home.body[start..start + home.body[start..].find('"').unwrap()];
    save("site.css", w.get(css).body);

    let out = Command::new("java")
        .arg("-jar")
        .arg(root().join("node_modules/vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--also-check-css", "--format", "gnu"])
        .args(&files)
        .output()
        .expect("java runs the Nu Html Checker");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && report.trim().is_empty(),
        "the Nu Html Checker found errors:\n{report}"
    );
}
