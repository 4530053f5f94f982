//! HTTP semantics the site applies to every response: validators, cache
//! policies and security headers. Pure, so they are tested natively.

/// A strong entity tag over the given parts (content hashes, code version,
/// a page's bytes). 128 bits of SipHash (std's hasher, fixed keys): fast
/// enough to run over every page on every request, which SHA-256 in wasm was
/// not, and collisions between two versions of one URL are out of reach.
pub fn etag<T: AsRef<[u8]>>(parts: &[T]) -> String {
    use std::hash::{DefaultHasher, Hasher};
    let mut a = DefaultHasher::new();
    let mut b = DefaultHasher::new();
    b.write_u64(0x9e37_79b9_7f4a_7c15);
    for p in parts {
        let p = p.as_ref();
        a.write(p);
        a.write_usize(p.len());
        b.write(p);
        b.write_usize(p.len());
    }
    format!("\"{:016x}{:016x}\"", a.finish(), b.finish())
}

/// Whether an `If-None-Match` header value matches `etag` (RFC 9110 §13.1.2:
/// `*` or a comma-separated list compared weakly, so `W/"x"` matches `"x"`).
pub fn if_none_match(header: &str, etag: &str) -> bool {
    let want = etag.trim_start_matches("W/");
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == want)
}

/// The origin (`scheme://host[:port]`) of an absolute URL, as browsers send
/// it in `Origin`. Reads the already-normalised URL string instead of
/// pulling the `url` crate (and its IDNA tables) into the wasm.
pub fn origin_of(url: &str) -> Option<String> {
    let start = url.find("://")? + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    (end > start).then(|| url[..end].to_ascii_lowercase())
}

/// The path of an absolute URL as the runtime serializes it (`/a/b`), without
/// query or fragment.
pub fn path_of(url: &str) -> &str {
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => return url.split(['?', '#']).next().unwrap_or("/"),
    };
    match rest.find(['/', '?', '#']) {
        Some(i) if rest.as_bytes()[i] == b'/' => {
            let path = &rest[i..];
            path.split(['?', '#']).next().unwrap_or("/")
        }
        _ => "/",
    }
}

/// The decoded query parameters of a URL (`?a=1&b=x%20y`).
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// How many of an IPv6 address's leading bits make one rate-limiter bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V6Group {
    /// One network: a home or an office gets a /64 and rotates through it
    /// at will.
    Slash64,
    /// One site: what a provider usually hands a customer (RIPE-690), and
    /// what a bot with a routed prefix can rotate /64s within.
    Slash48,
}

/// The rate limiter's bucket for a client address (`CF-Connecting-IP`): an
/// IPv4 address as it is, an IPv6 address by its /64 or /48 (`group`).
/// `None` for anything that is not an address.
pub fn client_bucket(ip: &str, group: V6Group) -> Option<String> {
    match ip.trim().parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => Some(v4.to_string()),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => Some(v4.to_string()),
            None => {
                let s = v6.segments();
                Some(match group {
                    V6Group::Slash64 => {
                        format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                    }
                    V6Group::Slash48 => format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2]),
                })
            }
        },
    }
}

/// Cache policies, one per kind of response.
pub mod cache {
    /// Pages and API answers: browsers revalidate after a minute and may show
    /// a stale copy for ten while they do.
    pub const PAGE: &str = "public, max-age=60, stale-while-revalidate=600";
    /// Fingerprinted assets never change under the same URL.
    pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
    /// Unversioned static files (the icon).
    pub const DAY: &str = "public, max-age=86400";
    /// Personal, secret or state-changing answers.
    pub const NO_STORE: &str = "private, no-store";
    /// Errors and 404s: short, so a fix shows quickly.
    pub const SHORT: &str = "public, max-age=30";
}

/// Which scripts a page loads: none, or Turnstile's (the contact form, when
/// Turnstile is on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scripts {
    None,
    Turnstile,
}

/// The Content-Security-Policy of every HTML page: no script at all unless
/// Turnstile is on, when exactly its origin is allowed.
pub fn content_security_policy(scripts: Scripts) -> &'static str {
    macro_rules! csp {
        ($script:literal) => {
            concat!(
                "default-src 'none'; style-src 'self'; img-src 'self' https: data:; ",
                "script-src ",
                $script,
                "; frame-src ",
                $script,
                "; connect-src 'self'; ",
                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
            )
        };
    }
    if scripts == Scripts::Turnstile {
        csp!("https://challenges.cloudflare.com")
    } else {
        csp!("'none'")
    }
}

/// Headers sent with every HTML response besides the CSP.
pub const HTML_SECURITY_HEADERS: [(&str, &str); 3] = [
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Strict-Transport-Security",
        "max-age=63072000; includeSubDomains",
    ),
    ("X-Frame-Options", "DENY"),
];

/// Content types, each with its charset where it is text.
pub mod types {
    pub const HTML: &str = "text/html; charset=utf-8";
    pub const JSON: &str = "application/json; charset=utf-8";
    pub const TEXT: &str = "text/plain; charset=utf-8";
    pub const CSS: &str = "text/css; charset=utf-8";
    pub const SVG: &str = "image/svg+xml; charset=utf-8";
    pub const XML: &str = "application/xml; charset=utf-8";
    pub const ATOM: &str = "application/atom+xml; charset=utf-8";
    pub const FEED_JSON: &str = "application/feed+json; charset=utf-8";
    pub const OPENSEARCH: &str = "application/opensearchdescription+xml; charset=utf-8";
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test]
    fn etags_are_quoted_and_change_with_any_part() {
        let a = etag(&["v1", "content"]);
        assert!(a.starts_with('"') && a.ends_with('"') && a.len() == 34);
        assert_ne!(a, etag(&["v2", "content"]));
        assert_ne!(a, etag(&["v1content"]));
        assert_eq!(a, etag(&["v1", "content"]));
    }

    #[test]
    fn csp_allows_script_only_from_turnstile_when_on() {
        assert!(
            content_security_policy(Scripts::None).contains("script-src 'none'; frame-src 'none';")
        );
        let on = content_security_policy(Scripts::Turnstile);
        assert!(on.contains("script-src https://challenges.cloudflare.com; frame-src https://challenges.cloudflare.com;"));
        assert!(on.ends_with("frame-ancestors 'none'"));
    }

    #[test_case("203.0.113.7", V6Group::Slash64, Some("203.0.113.7"))]
    #[test_case("203.0.113.7", V6Group::Slash48, Some("203.0.113.7") ; "v4 whatever the group")]
    #[test_case("2001:db8:1:2:3:4:5:6", V6Group::Slash64, Some("2001:db8:1:2::/64"))]
    #[test_case("2001:db8:1:2:ffff::1", V6Group::Slash64, Some("2001:db8:1:2::/64") ; "same /64, another host")]
    #[test_case("2001:db8:1:2:3:4:5:6", V6Group::Slash48, Some("2001:db8:1::/48"))]
    #[test_case("2001:db8:1:ffff::1", V6Group::Slash48, Some("2001:db8:1::/48") ; "same /48, another /64")]
    #[test_case("::ffff:198.51.100.1", V6Group::Slash48, Some("198.51.100.1") ; "v4-mapped")]
    #[test_case("unknown", V6Group::Slash64, None)]
    #[test_case("", V6Group::Slash48, None)]
    fn buckets_clients_by_address_and_ipv6_by_its_group(
        ip: &str,
        group: V6Group,
        bucket: Option<&str>,
    ) {
        assert_eq!(client_bucket(ip, group).as_deref(), bucket);
    }

    #[test]
    fn reads_paths() {
        assert_eq!(path_of("https://a.example.org/alerts/x?y=1#z"), "/alerts/x");
        assert_eq!(path_of("http://127.0.0.1:8787/"), "/");
        assert_eq!(path_of("http://127.0.0.1:8787?q"), "/");
        assert_eq!(path_of("https://a.example.org"), "/");
        assert_eq!(path_of("https://a.example.org/a%3Fb?c"), "/a%3Fb");
    }

    #[test]
    fn reads_origins_and_queries() {
        assert_eq!(
            origin_of("https://Alerts.example.org/contact?x").as_deref(),
            Some("https://alerts.example.org")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8787").as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(origin_of("/relative"), None);
        assert_eq!(
            query_pairs("http://h/p?to=gordon-mackay&x=a%20b#frag"),
            vec![
                ("to".into(), "gordon-mackay".into()),
                ("x".into(), "a b".into())
            ]
        );
        assert!(query_pairs("http://h/p").is_empty());
    }

    #[test_case("\"abc\"", true)]
    #[test_case("W/\"abc\"", true)]
    #[test_case("\"x\", \"abc\"", true)]
    #[test_case("*", true)]
    #[test_case("\"abcd\"", false)]
    #[test_case("", false)]
    fn can_match_if_none_match(header: &str, matches: bool) {
        assert_eq!(if_none_match(header, "\"abc\""), matches);
    }
}
