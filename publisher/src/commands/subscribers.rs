//! `alerts subscribers` (`make subscribers`): email alerts' counts from the
//! local D1 database or Cloudflare's (`--remote`); the query and the report
//! are `publisher::subscribers`'.

use super::wrangler;
use crate::cli::Store;
use anyhow::{bail, Context, Result};
use std::ffi::OsString;

/// Counts of email alerts' subscribers, from the local D1 database or
/// Cloudflare's (`--remote`).
pub fn subscribers(store: &Store) -> Result<()> {
    let mut args: Vec<OsString> = [
        "d1",
        "execute",
        "DB",
        "--json",
        "--command",
        publisher::subscribers::QUERY,
    ]
    .map(OsString::from)
    .to_vec();
    if store.remote {
        args.push("--remote".into());
    } else {
        args.extend(["--local".into(), "--persist-to".into()]);
        args.push(store.local.persist_to.clone().into_os_string());
    }
    let out = wrangler(args)?;
    if !out.status.success() {
        bail!(
            "wrangler d1 execute failed (is the database migrated? make migrate): {}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let report = publisher::subscribers::report(&String::from_utf8_lossy(&out.stdout))
        .context("wrangler d1 execute answered")?;
    print!("{report}");
    Ok(())
}
