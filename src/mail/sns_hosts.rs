//! Where an SNS message may point: its topic's region
//! (`topic_region`), its signing certificate (`cert_url_allowed`: an SNS
//! host's `.pem` over HTTPS) and its confirmation link
//! (`subscribe_url_allowed`: an SNS host's `ConfirmSubscription` of the
//! same topic in its region). Read by `super::sns`.

/// Whether `region` looks like an AWS region: `us-east-1`, `eu-west-1`,
/// `us-gov-west-1`, `ap-southeast-4`, `cn-northwest-1`...
fn is_region(region: &str) -> bool {
    let mut parts = region.split('-');
    let area = parts.next().unwrap_or_default();
    let parts: Vec<&str> = parts.collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    region.len() <= 32
        && area.len() == 2
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && !words.is_empty()
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The region of an SNS topic's ARN, `arn:<partition>:sns:<region>:<12
/// digits>:<name>`, when it is one: the partition matches the region
/// (`aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`), the
/// name is 1 to 256 letters, digits, `-`, `_` (and `.` for `.fifo`).
pub fn topic_region(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("sns"), Some(region), Some(account), Some(name)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let expected = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    (partition == expected
        && is_region(region)
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && (1..=256).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
    .then_some(region)
}

/// The region and the rest (from the first `/`) of
/// `https://sns.<region>.amazonaws.com/...`, or of
/// `https://sns.<cn-region>.amazonaws.com.cn/...` for China's regions.
/// The host must be exactly that, in lower case: no userinfo, no port,
/// no trailing dot, no look-alike suffix.
fn sns_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(end);
    let inner = host.strip_prefix("sns.")?;
    let (region, china) = match inner.strip_suffix(".amazonaws.com.cn") {
        Some(region) => (region, true),
        None => (inner.strip_suffix(".amazonaws.com")?, false),
    };
    (is_region(region) && region.starts_with("cn-") == china && tail.starts_with('/'))
        .then_some((region, tail))
}

/// Whether a SigningCertURL may be fetched: an SNS host over HTTPS (as
/// `sns_url` says), a path of letters, digits, `-`, `_`, `.` and `/`
/// ending in `.pem`, with no `..`, query or fragment.
pub fn cert_url_allowed(url: &str) -> bool {
    let Some((_, path)) = sns_url(url) else {
        return false;
    };
    path.len() > "/.pem".len()
        && path.ends_with(".pem")
        && !path.contains("..")
        && !path.contains("//")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
}

/// Whether a SubscribeURL may be fetched to confirm a subscription: an SNS
/// host over HTTPS in the region of `topic_arn`, path `/`, and a query of
/// URL-safe characters with `Action=ConfirmSubscription` in it (no
/// fragment).
pub fn subscribe_url_allowed(url: &str, topic_arn: &str) -> bool {
    let (Some((region, tail)), Some(topic)) = (sns_url(url), topic_region(topic_arn)) else {
        return false;
    };
    let Some(query) = tail.strip_prefix("/?") else {
        return false;
    };
    region == topic
        && query.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'&' | b'=' | b'%' | b'+'
                )
        })
        && query.split('&').any(|p| p == "Action=ConfirmSubscription")
}
