//! `alerts preview-link SLUG` (`make preview-link`): a signed link to an
//! alert's preview, valid for `--hours`, within the Worker's
//! PREVIEW_MAX_DAYS.

use crate::cli::PreviewLinkArgs;
use anyhow::{bail, Context, Result};

/// The preview secret from the environment, else from `.dev.vars`.
fn preview_secret() -> Option<String> {
    if let Ok(s) = std::env::var("PREVIEW_SECRET") {
        return Some(s);
    }
    let vars = std::fs::read_to_string(".dev.vars").ok()?;
    vars.lines()
        .find_map(|l| l.strip_prefix("PREVIEW_SECRET="))
        .map(|s| s.trim().trim_matches('"').to_string())
}

/// The longest a link may live, in days: the Worker refuses one that lives
/// longer than its PREVIEW_MAX_DAYS (`[vars]` in wrangler.toml; the environment
/// may say otherwise for a test).
fn max_days() -> i64 {
    let configured = std::env::var("PREVIEW_MAX_DAYS").ok().or_else(|| {
        let toml: toml::Table = std::fs::read_to_string("wrangler.toml")
            .ok()?
            .parse()
            .ok()?;
        Some(
            toml.get("vars")?
                .get("PREVIEW_MAX_DAYS")?
                .as_str()?
                .to_string(),
        )
    });
    configured
        .and_then(|d| d.trim().parse::<i64>().ok())
        .filter(|d| *d > 0)
        .unwrap_or(access_alerts::preview::DEFAULT_MAX_DAYS)
}

pub fn preview_link(args: &PreviewLinkArgs) -> Result<()> {
    let secret = preview_secret().context("set PREVIEW_SECRET (or add it to .dev.vars)")?;
    let max_days = max_days();
    if args.hours < 1 || args.hours > max_days * 24 {
        bail!(
            "--hours must be 1 to {} (the Worker's PREVIEW_MAX_DAYS, {max_days} days)",
            max_days * 24
        );
    }
    let exp = chrono::Utc::now().timestamp() + args.hours * 3600;
    println!(
        "{}{}",
        args.base.trim_end_matches('/'),
        access_alerts::preview::link(&secret, &args.slug, exp)
    );
    Ok(())
}
