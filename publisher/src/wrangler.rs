//! Runs `wrangler kv` against the local store (`--local --persist-to DIR`) or
//! Cloudflare (`--remote`). The wrangler binary is `$WRANGLER`, else
//! `node_modules/.bin/wrangler`.

use crate::keyset::KvEntry;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the KV writes go.
#[derive(Debug, Clone)]
pub enum Target {
    Local { persist_to: PathBuf },
    Remote,
}

pub struct Wrangler {
    bin: String,
    target: Target,
    binding: String,
    /// Where bulk files are written (kept when wrangler fails on one).
    work_dir: PathBuf,
}

/// Whether wrangler's error says the key does not exist.
fn is_not_found(error: &str) -> bool {
    let e = error.to_ascii_lowercase();
    e.contains("10009")
        || e.contains("key not found")
        || e.contains("404: not found")
        || e.contains("value not found")
}

impl Wrangler {
    pub fn new(target: Target, work_dir: &Path) -> Self {
        Wrangler {
            bin: std::env::var("WRANGLER").unwrap_or_else(|_| "node_modules/.bin/wrangler".into()),
            target,
            binding: std::env::var("KV_BINDING").unwrap_or_else(|_| "ALERTS".into()),
            work_dir: work_dir.to_path_buf(),
        }
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        // A local wrangler process that opens the store while another
        // process (wrangler dev, another read) holds it can fail at once
        // ("database is locked", "KV GET failed: 500"): a local run that
        // fails for any reason but a missing key is tried again, up to
        // three times (reads and bulk writes alike are safe to repeat).
        let local = matches!(self.target, Target::Local { .. });
        let mut tries = 0;
        loop {
            tries += 1;
            match self.run_once(args) {
                Err(e) if local && tries < 3 && !is_not_found(&e) => {
                    std::thread::sleep(std::time::Duration::from_millis(400 * tries));
                }
                other => return other,
            }
        }
    }

    fn run_once(&self, args: &[&str]) -> Result<String, String> {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args).args(["--binding", &self.binding]);
        match &self.target {
            Target::Local { persist_to } => {
                cmd.arg("--local").arg("--persist-to").arg(persist_to);
            }
            Target::Remote => {
                cmd.arg("--remote");
            }
        }
        cmd.env("WRANGLER_SEND_METRICS", "false");
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.bin))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "wrangler {} failed: {}{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            ))
        }
    }

    /// Every key under `prefix`, with metadata (wrangler pages through them).
    pub fn list(&self, prefix: &str) -> Result<Vec<serde_json::Value>, String> {
        let out = self.run(&["kv", "key", "list", "--prefix", prefix])?;
        let start = out
            .find('[')
            .ok_or_else(|| format!("unexpected wrangler output: {out}"))?;
        serde_json::from_str(&out[start..])
            .map_err(|e| format!("unexpected wrangler output ({e}): {out}"))
    }

    /// A bulk file of this run: named by the process, so that two publishes
    /// at once (two editors, parallel tests) never upload each other's.
    fn work_file(&self, name: &str, ext: &str) -> PathBuf {
        self.work_dir
            .join(format!("{name}.{}.{ext}", std::process::id()))
    }

    /// One value as text; `None` when the key does not exist (wrangler
    /// prints `Value not found` then).
    pub fn get_text(&self, key: &str) -> Result<Option<String>, String> {
        match self.run(&["kv", "key", "get", key, "--text"]) {
            Ok(out) => Ok((out.trim_end() != "Value not found").then_some(out)),
            // Against Cloudflare a missing key is an error (HTTP 404, KV's
            // code 10009 "key not found"), not that line.
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One `wrangler kv bulk put` of `entries`, through `<name>.<pid>.json`
    /// (removed once written).
    pub fn bulk_put(&self, name: &str, entries: &[KvEntry]) -> Result<(), String> {
        let file = self.work_file(name, "json");
        std::fs::create_dir_all(&self.work_dir).map_err(|e| e.to_string())?;
        std::fs::write(&file, serde_json::to_vec(entries).unwrap_or_default())
            .map_err(|e| e.to_string())?;
        self.run(&["kv", "bulk", "put", &file.to_string_lossy()])?;
        // Kept only when wrangler failed, for inspection.
        let _ = std::fs::remove_file(&file);
        Ok(())
    }

    /// One `wrangler kv bulk delete` of `keys`, through
    /// `<name>.<pid>.delete.json` (removed once done).
    pub fn bulk_delete(&self, name: &str, keys: &[String]) -> Result<(), String> {
        let file = self.work_file(name, "delete.json");
        std::fs::create_dir_all(&self.work_dir).map_err(|e| e.to_string())?;
        std::fs::write(&file, serde_json::to_vec(keys).unwrap_or_default())
            .map_err(|e| e.to_string())?;
        self.run(&["kv", "bulk", "delete", &file.to_string_lossy(), "--force"])?;
        let _ = std::fs::remove_file(&file);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_key_against_cloudflare_is_none_not_an_error() {
        let remote = "wrangler kv key get failed: ✘ [ERROR] A request to the Cloudflare API (/accounts/x/storage/kv/namespaces/y/values/site%3Amanifest) failed.\n  key not found [code: 10009]";
        assert!(super::is_not_found(remote));

        assert!(!super::is_not_found(
            "wrangler kv key get failed: Authentication error [code: 10000]"
        ));
    }
}
