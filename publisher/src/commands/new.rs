//! `alerts new SLUG` (`make new`): a new alert file, a draft, from the
//! template editors fill in.

use crate::cli::NewArgs;
use anyhow::{bail, Context, Result};

pub fn new_alert(args: &NewArgs) -> Result<()> {
    let slug = &args.slug;
    if !access_alerts::keys::is_valid_slug(slug) {
        bail!("`{slug}` is not a valid slug: use lowercase letters, digits and single hyphens");
    }
    let path = args.content.dir.join("alerts").join(format!("{slug}.md"));
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    let today = chrono::Utc::now().format("%Y-%m-%d");
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| "Access Alert: ".into());
    let text = format!(
        r#"+++
title = {title:?}
date = {today}
category = "Opinion"
tags = []
# summary = "One or two sentences for listings and feeds (default: the first paragraph)."
contacts = ["gordon-mackay"]
contact_note = "For more information, please contact:"
draft = true
+++
Opening paragraph: what happened and why it matters.

## What it means

## What to do next
"#
    );
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "created {} (a draft: set `draft = false` to publish)",
        path.display()
    );
    Ok(())
}
