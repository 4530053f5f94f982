//! The routing table: a path's segments matched to a route and the
//! methods it answers (percent-encoded names decoded, years and months
//! checked), and `owns`, whether a path is the site's own (an alias there
//! would never be reached).

#[cfg(feature = "diagnostics")]
use super::Diag;
use super::{Route, GET, GET_POST, POST};
use crate::i18n::Lang;
use std::borrow::Cow;

/// A path segment as a name slug: percent-decoded, and then exactly what
/// `keys::name_slug` makes of it (so that each name has one path).
fn name(segment: &str) -> Option<Cow<'_, str>> {
    let decoded = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    (!decoded.is_empty()
        && decoded.len() <= crate::keys::MAX_NAME_BYTES
        && crate::keys::name_slug(&decoded) == decoded)
        .then_some(decoded)
}

/// The first path segments that belong to routes with parameters (`/alerts/`,
/// `/category/`...), read off the table's own paths.
fn route_prefixes() -> Vec<String> {
    SAMPLES
        .iter()
        .filter_map(|r| {
            let path = r.path();
            let (first, rest) = path.trim_start_matches('/').split_once('/')?;
            (!rest.is_empty()).then(|| first.to_string())
        })
        .collect()
}

/// One route of each kind, with sample parameters.
pub(super) const SAMPLES: &[Route<'static>] = &[
    Route::Home,
    Route::Alert("a"),
    Route::AlertIn(Lang::Ar, "a"),
    Route::AlertIn(Lang::Zh, "a"),
    Route::AlertIn(Lang::Fr, "a"),
    Route::AlertIn(Lang::Ru, "a"),
    Route::AlertIn(Lang::Es, "a"),
    Route::HomeIn(Lang::Ar),
    Route::HomeIn(Lang::Zh),
    Route::CategoryIn(Lang::Fr, Cow::Borrowed("c")),
    Route::TagIn(Lang::Ru, Cow::Borrowed("t")),
    Route::ArchiveIn(Lang::Es, 2024, 1),
    Route::FeedIn(Lang::Ar),
    Route::JsonFeedIn(Lang::Zh),
    Route::SearchIn(Lang::Ar),
    Route::ApiAlert("a"),
    Route::Preview("a"),
    Route::Category(Cow::Borrowed("c")),
    Route::CategoryFeed(Cow::Borrowed("c")),
    Route::Tag(Cow::Borrowed("t")),
    Route::Archive(2024, 1),
    Route::Feed,
    Route::JsonFeed,
    Route::Sitemap,
    Route::SitemapPages,
    Route::SitemapMonth(2024, 1),
    Route::ApiAlerts,
    Route::Search,
    Route::ApiSearch,
    Route::OpenSearch,
    Route::Contact(Lang::En),
    Route::ContactThanks(Lang::En),
    Route::Privacy(Lang::En),
    Route::Contact(Lang::Ar),
    Route::ContactThanks(Lang::Zh),
    Route::Privacy(Lang::Ru),
    Route::Healthz,
    Route::Stylesheet("site.css"),
    Route::Robots,
    Route::Favicon,
    Route::Subscribe(Lang::En),
    Route::SubscribeCheck(Lang::En),
    Route::SubscribeConfirm(Lang::En),
    Route::Subscription(Lang::En),
    Route::Unsubscribe(Lang::En),
    Route::Subscribe(Lang::Fr),
    Route::SubscribeCheck(Lang::Ar),
    Route::SubscribeConfirm(Lang::Zh),
    Route::Subscription(Lang::Ru),
    Route::Unsubscribe(Lang::Es),
    Route::HookSes,
    Route::DeadMail,
    Route::ResendMail("x"),
    Route::TestEmail,
    Route::Webhooks,
    Route::RemoveWebhook("x"),
    Route::EnableWebhook("x"),
    Route::DeadInquiries,
    Route::DeadInquiry("x"),
    Route::ResendInquiry("x"),
];

/// Whether `path` belongs to the site's own pages, so that an alias there
/// would never be reached: the table resolves it (for any method, test and
/// bench routes included), or it lies under a route's prefix (`/category/`,
/// `/operator/`...). With or without a trailing slash.
pub fn owns(path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    let resolves = |p: &str| table(p).is_some();
    if resolves(path) || (!trimmed.is_empty() && resolves(trimmed)) {
        return true;
    }
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    first.starts_with("__") || route_prefixes().iter().any(|p| p == first)
}

/// `2024`, `11` as a year and month (four and two digits, month 1-12).
fn year_month(y: &str, m: &str) -> Option<(i32, u32)> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4) || !digits(m, 2) {
        return None;
    }
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

pub(super) fn table(path: &str) -> Option<(Route<'_>, &'static str)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let slug = |s: &&str| crate::keys::is_valid_slug(s);
    let lang = lang_of(path);
    if lang != Lang::En {
        // Its prefix is the first segment.
        return in_lang(lang, &segments[1..]);
    }
    if let Some(found) = every_language(Lang::En, &segments) {
        return Some(found);
    }
    Some(match segments.as_slice() {
        [""] => (Route::Home, GET),
        ["alerts", s] if slug(s) => (Route::Alert(s), GET),
        ["api", "alerts", s] if slug(s) => (Route::ApiAlert(s), GET),
        ["preview", s] if slug(s) => (Route::Preview(s), GET),
        ["category", c] => (Route::Category(name(c)?), GET),
        ["category", c, "feed.xml"] => (Route::CategoryFeed(name(c)?), GET),
        ["archive", y, m] => {
            let (y, m) = year_month(y, m)?;
            (Route::Archive(y, m), GET)
        }
        ["feed.xml"] => (Route::Feed, GET),
        ["feed.json"] => (Route::JsonFeed, GET),
        ["sitemap.xml"] => (Route::Sitemap, GET),
        ["sitemap", "pages.xml"] => (Route::SitemapPages, GET),
        ["sitemap", part] => {
            let (y, m) = part.strip_suffix(".xml")?.split_once('-')?;
            let (y, m) = year_month(y, m)?;
            (Route::SitemapMonth(y, m), GET)
        }
        ["api", "alerts"] => (Route::ApiAlerts, GET),
        ["search"] => (Route::Search, GET),
        ["api", "search"] => (Route::ApiSearch, GET),
        ["opensearch.xml"] => (Route::OpenSearch, GET),
        ["tag", t] => (Route::Tag(name(t)?), GET),
        ["healthz"] => (Route::Healthz, GET),
        ["robots.txt"] => (Route::Robots, GET),
        ["favicon.svg"] | ["favicon.ico"] => (Route::Favicon, GET),
        ["assets", file] => (Route::Stylesheet(file), GET),
        ["hooks", "ses"] => (Route::HookSes, POST),
        ["operator", "mail"] => (Route::DeadMail, GET),
        ["operator", "test-email"] => (Route::TestEmail, POST),
        ["operator", "mail", id, "resend"] => (Route::ResendMail(id), POST),
        ["operator", "webhooks"] => (Route::Webhooks, GET_POST),
        ["operator", "webhooks", id, "remove"] => (Route::RemoveWebhook(id), POST),
        ["operator", "webhooks", id, "enable"] => (Route::EnableWebhook(id), POST),
        ["operator", "inquiries"] => (Route::DeadInquiries, GET),
        ["operator", "inquiries", id] => (Route::DeadInquiry(id), GET),
        ["operator", "inquiries", id, "resend"] => (Route::ResendInquiry(id), POST),
        #[cfg(feature = "diagnostics")]
        ["__test" | "__bench", ..] => return diag(&segments),
        _ => return None,
    })
}

/// The language of an address: its first segment's (`/fr/...`), English
/// where that is no language's code (English has no prefix).
pub fn lang_of(path: &str) -> Lang {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    Lang::translated(first).unwrap_or(Lang::En)
}

/// The pages of forms (contact, privacy, the subscriber pages), in every
/// language (English's without a prefix).
fn every_language<'a>(lang: Lang, rest: &[&str]) -> Option<(Route<'a>, &'static str)> {
    Some(match rest {
        ["contact"] => (Route::Contact(lang), GET_POST),
        ["contact", "thanks"] => (Route::ContactThanks(lang), GET),
        ["privacy"] => (Route::Privacy(lang), GET),
        ["subscribe"] => (Route::Subscribe(lang), GET_POST),
        ["subscribe", "check"] => (Route::SubscribeCheck(lang), GET),
        ["subscribe", "confirm"] => (Route::SubscribeConfirm(lang), GET_POST),
        ["subscription"] => (Route::Subscription(lang), GET_POST),
        ["unsubscribe"] => (Route::Unsubscribe(lang), GET_POST),
        _ => return None,
    })
}

/// The routes under a language's prefix (`/fr/...`): the pages that have a
/// version per language.
fn in_lang<'a>(lang: Lang, rest: &[&'a str]) -> Option<(Route<'a>, &'static str)> {
    if let Some(found) = every_language(lang, rest) {
        return Some(found);
    }
    let route = match rest {
        [""] => Route::HomeIn(lang),
        ["alerts", s] if crate::keys::is_valid_slug(s) => Route::AlertIn(lang, s),
        ["category", c] => Route::CategoryIn(lang, name(c)?),
        ["tag", t] => Route::TagIn(lang, name(t)?),
        ["archive", y, m] => {
            let (y, m) = year_month(y, m)?;
            Route::ArchiveIn(lang, y, m)
        }
        ["feed.xml"] => Route::FeedIn(lang),
        ["feed.json"] => Route::JsonFeedIn(lang),
        ["search"] => Route::SearchIn(lang),
        _ => return None,
    };
    Some((route, GET))
}

#[cfg(feature = "diagnostics")]
fn diag<'a>(segments: &[&'a str]) -> Option<(Route<'a>, &'static str)> {
    let (d, allow) = match segments {
        ["__test", "panic"] => (Diag::TestPanic, GET),
        ["__test", "panic-now"] => (Diag::TestPanicNow, GET),
        ["__test", "panic-after-list"] => (Diag::TestPanicAfterList, GET),
        ["__test", "out-of-memory"] => (Diag::TestOutOfMemory, GET),
        ["__test", "enqueue"] => (Diag::TestEnqueue, POST),
        ["__bench", "floor"] => (Diag::BenchFloor, GET),
        ["__bench", "render"] => (Diag::BenchRender, GET),
        ["__bench", "memory"] => (Diag::BenchMemory, GET),
        ["__bench", "kv", slug] => (Diag::BenchKv(slug), GET),
        ["__bench", "own"] => (Diag::BenchOwn, GET),
        _ => return None,
    };
    Some((Route::Diag(d), allow))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_s_language_is_its_first_segment_s() {
        assert_eq!(lang_of("/fr/contact"), Lang::Fr);
        assert_eq!(lang_of("/zh/"), Lang::Zh);
        assert_eq!(lang_of("/ar"), Lang::Ar);
        assert_eq!(lang_of("/en/contact"), Lang::En);
        assert_eq!(lang_of("/contact/fr"), Lang::En);
        assert_eq!(lang_of("/"), Lang::En);
    }

    #[test]
    fn owns_every_route_and_every_route_prefix() {
        for path in [
            "/",
            "/contact",
            "/contact/",
            "/feed.xml",
            "/category/anything",
            "/category/Not A Slug",
            "/tag/x/y",
            "/archive/1999/13",
            "/preview/x",
            "/operator/",
            "/operator/inquiries",
            "/alerts/",
            "/api/whatever",
            "/assets/x.css",
            "/sitemap/old.xml",
            "/fr/anything",
            "/zh/alerts/",
            "/__test/x",
        ] {
            assert!(owns(path), "{path}");
        }
        for path in [
            "/2019/old-name/",
            "/old-name",
            "/news/x",
            "/contacts",
            "/de/alerts/x",
            "/en/alerts/x",
        ] {
            assert!(!owns(path), "{path}");
        }
    }
}
