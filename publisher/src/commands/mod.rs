//! The commands of `alerts`, one module each; `main.rs` parses the command
//! line (`crate::cli`) and calls one of them. Each returns an error with its
//! context; `main` prints the chain and exits 1.

pub mod check;
pub mod check_deploy;
pub mod index_size;
pub mod new;
pub mod preview_link;
pub mod publish;
pub mod seed_synthetic;
pub mod subscribers;
pub mod watch;

use anyhow::{Context, Result};
use std::ffi::OsStr;
use std::process::{Command, Output};

/// Runs the wrangler binary (`$WRANGLER`, else `node_modules/.bin/wrangler`)
/// with `args` and its metrics off; its output, whether it succeeded or not.
pub fn wrangler<I, S>(args: I) -> Result<Output>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let bin = publisher::wrangler::bin();
    Command::new(&bin)
        .args(args)
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .with_context(|| format!("cannot run {bin}"))
}
