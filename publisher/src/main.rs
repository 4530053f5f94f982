//! `alerts`: the editors' tool. Checks `content/`, publishes it to Workers KV
//! through `wrangler kv`, starts new alerts and signs preview links.
//! `content/` in git is the source of truth; KV is derived from it.
//!
//! This file parses the command line (`cli`) and calls the command
//! (`commands`): exit code 0 when it succeeds, 1 when it fails (its error
//! printed with its context), 2 for a command line that does not parse (1
//! for an unknown command or a missing SLUG or N: see `cli::exit_code`).

mod cli;
mod commands;
#[cfg(test)]
mod snapshots;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(cli::exit_code(&e));
        }
    };
    let result = match &cli.command {
        Command::Check(content) => commands::check::check(&content.dir).map(|_| ()),
        Command::Translations(content) => commands::check::translations(&content.dir),
        Command::Publish(args) => commands::publish::publish(args),
        Command::Watch(args) => commands::watch::watch(args),
        Command::New(args) => commands::new::new_alert(args),
        Command::PreviewLink(args) => commands::preview_link::preview_link(args),
        Command::CheckDeploy => commands::check_deploy::check_deploy(),
        Command::SeedSynthetic(args) => commands::seed_synthetic::seed_synthetic(args),
        Command::IndexSize(args) => commands::index_size::index_size(args),
        Command::PublishCost(args) => commands::index_size::publish_cost(args),
        Command::Subscribers(store) => commands::subscribers::subscribers(store),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::FAILURE
        }
    }
}
