//! `alerts seed-synthetic N` (`make seed-synthetic`, the scale tests, `make
//! bench`): N synthetic alerts written straight into the local store, then
//! `content/` published with them in its search index.

use super::publish::{publish, BULK_KEYS};
use crate::cli::{PublishArgs, SeedSyntheticArgs, Store};
use anyhow::{Context, Result};
use publisher::keyset;

/// Writes N synthetic alerts (short bodies, four categories, fifty topics,
/// one every four hours back from 17 Nov 2024) straight into the store, in
/// bulk files of 10,000 keys.
pub fn seed_synthetic(args: &SeedSyntheticArgs) -> Result<()> {
    let n = args.n;
    let store = Store::local(args.store.clone());
    let w = store.wrangler();
    let mut batch = Vec::new();
    let started = std::time::Instant::now();
    let mut files = 0;
    for i in 0..n {
        let record = publisher::synthetic::record(i);
        batch.extend(keyset::entries(&record));
        if batch.len() >= BULK_KEYS || i + 1 == n {
            files += 1;
            w.bulk_put(&format!("synthetic-{files:04}"), &batch)
                .context("writing the synthetic alerts")?;
            batch.clear();
            eprintln!(
                "{} of {n} alerts written ({:.0} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "seeded {n} synthetic alerts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Then `content/` and the derived keys (search index, months) with the
    // synthetic alerts in them: what `publish --synthetic N` keeps.
    publish(&PublishArgs {
        content: args.content.clone(),
        store,
        prune: false,
        synthetic: n,
    })
}
