//! `alerts check-deploy` (what `make deploy` asks first): refuses a
//! deployment that lacks a setting, or Turnstile on `/subscribe` unless
//! `SUBSCRIBE_WITHOUT_TURNSTILE = "1"` says so. What counts as missing is
//! `publisher::deploy`'s; this asks wrangler for the secrets and queues.

use super::wrangler;
use anyhow::{bail, Context, Result};

/// Refuses a deployment that lacks a setting (wrangler.toml vars, and the
/// secrets `wrangler secret list` names).
pub fn check_deploy() -> Result<()> {
    let toml = std::fs::read_to_string("wrangler.toml").context("wrangler.toml")?;
    let out = wrangler(["secret", "list", "--format", "json"])?;
    if !out.status.success() {
        bail!(
            "wrangler secret list failed (log in with `npx wrangler login`): {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let secrets = publisher::deploy::secret_names(&String::from_utf8_lossy(&out.stdout))
        .context("wrangler secret list")?;
    let mut problems = publisher::deploy::problems(&toml, &secrets);
    // The queues wrangler.toml names must exist: deploy would fail on them.
    let queues = wrangler(["queues", "list"])?;
    if queues.status.success() {
        problems.extend(publisher::deploy::missing_queues(
            &toml,
            &String::from_utf8_lossy(&queues.stdout),
        ));
    } else {
        problems.push("wrangler queues list failed: the queues could not be checked".into());
    }
    if problems.is_empty() {
        println!("the configuration has every setting the Worker needs");
        return Ok(());
    }
    for p in &problems {
        eprintln!("error: {p}");
    }
    bail!(
        "not deploying: {} setting(s) missing (README, \"Deploying to Cloudflare\")",
        problems.len()
    )
}
