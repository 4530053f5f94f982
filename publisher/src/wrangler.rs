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

/// The wrangler binary: `$WRANGLER`, else `node_modules/.bin/wrangler`.
pub fn bin() -> String {
    std::env::var("WRANGLER").unwrap_or_else(|_| "node_modules/.bin/wrangler".into())
}

/// What went wrong running wrangler. A failed run keeps what wrangler
/// printed: whether it says the key does not exist (`is_not_found`) decides
/// between "no value" and an error, and whether a local run is tried again.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The binary could not be started.
    #[error("cannot run {bin}")]
    Spawn {
        bin: String,
        #[source]
        source: std::io::Error,
    },
    /// Wrangler ran and failed.
    #[error("wrangler {args} failed: {stderr}{stdout}")]
    Failed {
        args: String,
        stderr: String,
        stdout: String,
    },
    /// Wrangler's answer is not the JSON it should be.
    #[error("unexpected wrangler output: {output}")]
    Output {
        output: String,
        #[source]
        source: Option<serde_json::Error>,
    },
    /// A bulk file could not be written.
    #[error("cannot write {}", path.display())]
    BulkFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Whether wrangler said the key does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Failed { .. }) && is_not_found(&self.to_string())
    }
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
            bin: bin(),
            target,
            binding: std::env::var("KV_BINDING").unwrap_or_else(|_| "ALERTS".into()),
            work_dir: work_dir.to_path_buf(),
        }
    }

    fn run(&self, args: &[&str]) -> Result<String, Error> {
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
                Err(e) if local && tries < 3 && !e.is_not_found() => {
                    std::thread::sleep(std::time::Duration::from_millis(400 * tries));
                }
                other => return other,
            }
        }
    }

    fn run_once(&self, args: &[&str]) -> Result<String, Error> {
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
        let out = cmd.output().map_err(|source| Error::Spawn {
            bin: self.bin.clone(),
            source,
        })?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(Error::Failed {
                args: args.join(" "),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            })
        }
    }

    /// Every key under `prefix`, with metadata (wrangler pages through them).
    pub fn list(&self, prefix: &str) -> Result<Vec<serde_json::Value>, Error> {
        let out = self.run(&["kv", "key", "list", "--prefix", prefix])?;
        let Some(start) = out.find('[') else {
            return Err(Error::Output {
                output: out,
                source: None,
            });
        };
        serde_json::from_str(&out[start..]).map_err(|e| Error::Output {
            output: out.clone(),
            source: Some(e),
        })
    }

    /// A bulk file of this run: named by the process, so that two publishes
    /// at once (two editors, parallel tests) never upload each other's.
    fn work_file(&self, name: &str, ext: &str) -> PathBuf {
        self.work_dir
            .join(format!("{name}.{}.{ext}", std::process::id()))
    }

    /// Writes a bulk file into the work directory (made if need be).
    fn write_bulk_file(&self, file: &Path, bytes: Vec<u8>) -> Result<(), Error> {
        std::fs::create_dir_all(&self.work_dir)
            .and_then(|()| std::fs::write(file, bytes))
            .map_err(|source| Error::BulkFile {
                path: file.to_path_buf(),
                source,
            })
    }

    /// One value as text; `None` when the key does not exist (wrangler
    /// prints `Value not found` then).
    pub fn get_text(&self, key: &str) -> Result<Option<String>, Error> {
        match self.run(&["kv", "key", "get", key, "--text"]) {
            Ok(out) => Ok((out.trim_end() != "Value not found").then_some(out)),
            // Against Cloudflare a missing key is an error (HTTP 404, KV's
            // code 10009 "key not found"), not that line.
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One `wrangler kv bulk put` of `entries`, through `<name>.<pid>.json`
    /// (removed once written).
    pub fn bulk_put(&self, name: &str, entries: &[KvEntry]) -> Result<(), Error> {
        let file = self.work_file(name, "json");
        self.write_bulk_file(&file, serde_json::to_vec(entries).unwrap_or_default())?;
        self.run(&["kv", "bulk", "put", &file.to_string_lossy()])?;
        // Kept only when wrangler failed, for inspection.
        let _ = std::fs::remove_file(&file);
        Ok(())
    }

    /// One `wrangler kv bulk delete` of `keys`, through
    /// `<name>.<pid>.delete.json` (removed once done).
    pub fn bulk_delete(&self, name: &str, keys: &[String]) -> Result<(), Error> {
        let file = self.work_file(name, "delete.json");
        self.write_bulk_file(&file, serde_json::to_vec(keys).unwrap_or_default())?;
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

    #[test]
    fn only_a_run_that_failed_says_a_key_is_missing() {
        let failed = super::Error::Failed {
            args: "kv key get site:manifest --text".into(),
            stderr: "key not found [code: 10009]".into(),
            stdout: String::new(),
        };
        assert!(failed.is_not_found());
        let spawn = super::Error::Spawn {
            bin: "wrangler".into(),
            source: std::io::Error::other("key not found"),
        };
        assert!(!spawn.is_not_found());
    }
}
