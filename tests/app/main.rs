//! The Worker's app in-process: every handler called the way the Worker
//! calls it (`App::handle`, `App::consume`), over the ports implemented in
//! memory (`fake.rs`), seeded from `content/` by the publisher's own loader
//! and key set. Milliseconds per test; the runtime itself (bindings, the
//! wire, `.eml` files, queue retries, traps) is tested under `wrangler dev`
//! by the other test targets.

mod fake;
#[path = "../support/sns.rs"]
mod sns_support;
#[path = "../support/mod.rs"]
mod support;

mod abuse;
mod bulk;
mod cache;
mod contact;
mod contact_languages;
mod delivery;
mod error_pages;
mod fanout;
mod hardening;
mod hooks;
mod languages;
mod listings;
mod mail_languages;
mod malformed;
mod names;
mod pages;
mod paging;
mod push_cost;
mod search;
mod search_cost;
mod search_languages;
mod subscribers;
mod updates;
mod version;
mod webhooks;
mod websub;

use access_alerts::content::AlertRecord;
use fake::{Site, TestRequest};
use std::path::Path;

/// The sample alert of the seed page.
const SEED: &str = "oewg-collective-call-against-barring-organisations";

impl Site {
    /// A site with `content/` published, as `make publish` does.
    pub fn from_content() -> Self {
        Site::from_content_with(&[])
    }

    /// The same, with these settings on top of the tests' own.
    pub fn from_content_with(vars: &[(&str, &str)]) -> Self {
        let site = Site::with(vars);
        site.publish_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
        site
    }

    /// Publishes a content directory: the contacts, then each alert's key
    /// set, its superseded keys deleted first.
    pub fn publish_dir(&self, dir: &Path) {
        let content = publisher::load::load(dir).unwrap_or_else(|p| panic!("{p:?}"));
        self.fake.set_contacts(&content.contacts);
        self.fake.set_names(&content.names);
        for alert in &content.alerts {
            self.publish(&alert.record);
        }
    }

    /// Publishes one alert (replacing what it had published before).
    pub fn publish(&self, record: &AlertRecord) {
        if let Some(old) = self.stored(&record.slug) {
            self.fake.unpublish(&old);
        }
        self.fake.publish(record);
        self.fake.reindex();
    }

    /// `content/` plus these files (`alerts/<slug>.md`), published as
    /// `make publish` would; `problems` if the publisher refuses them.
    pub fn publish_files(&self, files: &[(&str, &str)]) -> Result<(), Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        std::fs::create_dir_all(dir.path().join("alerts")).unwrap();
        std::fs::copy(root.join("contacts.toml"), dir.path().join("contacts.toml")).unwrap();
        std::fs::copy(root.join("names.toml"), dir.path().join("names.toml")).unwrap();
        for entry in std::fs::read_dir(root.join("alerts")).unwrap().flatten() {
            std::fs::copy(
                entry.path(),
                dir.path().join("alerts").join(entry.file_name()),
            )
            .unwrap();
        }
        for (slug, text) in files {
            std::fs::write(dir.path().join(format!("alerts/{slug}.md")), text).unwrap();
        }
        let content = publisher::load::load(dir.path())
            .map_err(|p| p.iter().map(|p| p.to_string()).collect::<Vec<_>>())?;
        self.fake.set_contacts(&content.contacts);
        self.fake.set_names(&content.names);
        for alert in &content.alerts {
            self.publish(&alert.record);
        }
        Ok(())
    }

    /// An alert as the publisher would write it, from front matter and body.
    pub fn publish_text(&self, slug: &str, text: &str) -> AlertRecord {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("alerts")).unwrap();
        std::fs::write(
            dir.path().join("contacts.toml"),
            std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("content/contacts.toml"),
            )
            .unwrap(),
        )
        .unwrap();
        std::fs::write(dir.path().join(format!("alerts/{slug}.md")), text).unwrap();
        let content = publisher::load::load(dir.path()).unwrap_or_else(|p| panic!("{p:?}"));
        let record = content.alerts[0].record.clone();
        self.publish(&record);
        record
    }

    pub fn unpublish(&self, slug: &str) {
        let old = self.stored(slug).expect("published");
        self.fake.unpublish(&old);
        self.fake.reindex();
    }

    fn stored(&self, slug: &str) -> Option<AlertRecord> {
        let text = self.fake.value(&access_alerts::keys::alert(slug))?;
        serde_json::from_str(&text).ok()
    }

    /// `n` synthetic alerts (`make seed-synthetic`).
    pub fn seed_synthetic(&self, n: usize) {
        for i in 0..n {
            self.fake.publish(&publisher::synthetic::record(i));
        }
        self.fake.reindex();
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> access_alerts::app::Response {
        let mut req = TestRequest::new(access_alerts::routes::Method::parse(method), path);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        self.send(req)
    }
}

/// Every response carries nosniff and a Cache-Control; text types a charset.
fn assert_common_headers(r: &access_alerts::app::Response) {
    assert_eq!(
        r.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert!(r.header("cache-control").is_some());
    if let Some(t) = r.header("content-type") {
        assert!(t.contains("charset=utf-8"), "{t}");
    }
}

fn json(r: &access_alerts::app::Response) -> serde_json::Value {
    serde_json::from_str(&r.text()).unwrap_or_else(|e| panic!("{e}: {}", r.text()))
}
