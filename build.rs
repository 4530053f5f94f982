//! Stamps the build with the package version and the git commit, so `/healthz`
//! can report what is running and ETags change whenever the code does.
use std::process::Command;

/// Writes `$OUT_DIR/fold.rs`: each letter of the Latin blocks whose
/// canonical decomposition is a base letter plus combining
/// marks, with that base letter (`é` to `e`). Generated here from
/// `unicode-normalization` so the Worker carries a 3 KB table instead of
/// the crate's 29 KiB (gzip) of decomposition tables.
fn fold_table() {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    // Latin-1, Latin Extended-A and -B, Latin Extended Additional
    // (Vietnamese): the alphabets of this series' readers' names and places.
    let ranges = [0xC0..=0x24F, 0x1E00..=0x1EFF];
    let mut pairs = Vec::new();
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let mut parts = Vec::new();
        decompose_canonical(c, |d| parts.push(d));
        if parts.len() > 1 && parts[1..].iter().all(|d| is_combining_mark(*d)) && parts[0] != c {
            pairs.push((c, parts[0]));
        }
    }
    let body: String = pairs
        .iter()
        .map(|(c, b)| format!("({:?}, {:?}),", c, b))
        .collect();
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("fold.rs");
    std::fs::write(
        out,
        format!("/// Letters with diacritics and their base letter, sorted.\npub const FOLD: [(char, char); {}] = [{body}];\n", pairs.len()),
    )
    .unwrap();
}

fn main() {
    fold_table();
    let version = env!("CARGO_PKG_VERSION");
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    let suffix = if dirty { "-dirty" } else { "" };
    println!("cargo:rustc-env=BUILD_VERSION={version}+{commit}{suffix}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/index");
}
