//! `alerts check`: `content/` validated, every problem printed with its file
//! and line. `publish` and `index-size` check first too.

use anyhow::{bail, Result};
use publisher::load::{self, Content};
use std::path::Path;

/// Validates everything; prints warnings; fails on any error.
pub fn check(root: &Path) -> Result<Content> {
    match load::load(root) {
        Ok(content) => {
            for w in &content.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "content OK: {} alerts, {} translations, {} contacts",
                content.alerts.len(),
                content.translations.len(),
                content.contacts.len()
            );
            Ok(content)
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            bail!(
                "{} problem(s) in {}; nothing was published",
                problems.len(),
                root.display()
            )
        }
    }
}

/// `alerts translations`: the content checked, then per alert the
/// languages translated, outdated and missing.
pub fn translations(root: &Path) -> Result<()> {
    let content = check(root)?;
    let rows = publisher::translations::report(&content);
    print!("{}", publisher::translations::render(&rows));
    Ok(())
}
