//! The command line of `alerts`: one subcommand per task, each carrying only
//! the options it takes. It reads exactly what the hand-written parser
//! before it read (the Makefile, the integration tests and `bench/` run it):
//! options before or after the positional argument, the last of a repeated
//! option winning, any value after an option taken as its value (`--hours
//! -1` is refused by the command, not the parser), the same commands (no
//! `help` command; `--help` is new), and the same exit codes:
//! 2 for a command line that does not parse, 1 for an unknown command or a
//! missing or unreadable SLUG or N (the old parser left those to the
//! command, which failed).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};
use publisher::wrangler::{Target, Wrangler};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "alerts",
    about = "Checks content/, publishes it to Workers KV through `wrangler kv`, starts new alerts and signs preview links",
    subcommand_required = true,
    arg_required_else_help = true,
    args_override_self = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Checks content/: every problem with its file and line; nothing else.
    Check(ContentDir),
    /// Lists, per alert, the languages it is translated into, the
    /// translations outdated by a later update of the source, the missing.
    Translations(ContentDir),
    /// Publishes content/ to the local store (or Cloudflare's, --remote):
    /// only what changed.
    Publish(PublishArgs),
    /// Republishes on every change to content/; fires the Cron Triggers on
    /// --crons each minute.
    Watch(WatchArgs),
    /// Starts a new alert, a draft, at content/alerts/SLUG.md.
    New(NewArgs),
    /// Prints a signed preview link (needs PREVIEW_SECRET or .dev.vars).
    PreviewLink(PreviewLinkArgs),
    /// Refuses a deployment that lacks a setting (what `make deploy` asks
    /// first).
    CheckDeploy,
    /// Writes N short synthetic alerts into the local store, for scale tests.
    SeedSynthetic(SeedSyntheticArgs),
    /// The search index's parts and bytes, as JSON.
    IndexSize(IndexSizeArgs),
    /// The keys publishing one new alert and editing one write, as JSON.
    PublishCost(IndexSizeArgs),
    /// Email alerts' counts from D1; never an address.
    Subscribers(Store),
}

/// `--content DIR`.
#[derive(Debug, Clone, Args)]
pub struct ContentDir {
    /// The content folder.
    #[arg(
        id = "content",
        long = "content",
        value_name = "DIR",
        default_value = "content",
        allow_hyphen_values = true
    )]
    pub dir: PathBuf,
}

/// `--persist-to DIR`: the local store (wrangler's local state).
#[derive(Debug, Clone, Args)]
pub struct LocalStore {
    /// wrangler's local state, where the local store is.
    #[arg(
        long,
        value_name = "DIR",
        default_value = ".wrangler/state",
        allow_hyphen_values = true
    )]
    pub persist_to: PathBuf,
}

/// The local store, or Cloudflare's (`--remote`, which wins).
#[derive(Debug, Clone, Args)]
pub struct Store {
    /// Cloudflare's store instead of the local one.
    #[arg(long)]
    pub remote: bool,
    #[command(flatten)]
    pub local: LocalStore,
}

impl Store {
    pub fn local(local: LocalStore) -> Store {
        Store {
            remote: false,
            local,
        }
    }

    /// `wrangler kv` on this store, its bulk files in `.publish/`.
    pub fn wrangler(&self) -> Wrangler {
        let target = if self.remote {
            Target::Remote
        } else {
            Target::Local {
                persist_to: self.local.persist_to.clone(),
            }
        };
        Wrangler::new(target, Path::new(".publish"))
    }
}

#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub content: ContentDir,
    #[command(flatten)]
    pub store: Store,
    /// Also unpublishes the alerts content/ no longer has.
    #[arg(long)]
    pub prune: bool,
    /// Synthetic alerts the store also holds (`seed-synthetic`), searched too.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    pub synthetic: usize,
}

#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub content: ContentDir,
    #[command(flatten)]
    pub store: LocalStore,
    /// Fires the Worker's Cron Triggers there (http://127.0.0.1:8787) as
    /// their minutes come.
    #[arg(long, value_name = "URL", allow_hyphen_values = true)]
    pub crons: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The new alert's slug (its file name and address).
    #[arg(value_name = "SLUG")]
    pub slug: String,
    #[command(flatten)]
    pub content: ContentDir,
    /// Its title (default: "Access Alert: ").
    #[arg(long, value_name = "TITLE", allow_hyphen_values = true)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct PreviewLinkArgs {
    /// The alert to preview.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// How long the link works, in hours (at most the Worker's
    /// PREVIEW_MAX_DAYS).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 72,
        allow_hyphen_values = true
    )]
    pub hours: i64,
    /// The site the link points to.
    #[arg(
        long,
        value_name = "URL",
        default_value = "http://127.0.0.1:8787",
        allow_hyphen_values = true
    )]
    pub base: String,
    /// Taken and ignored: the integration tests' harness passes its store to
    /// every command it runs (`tests/common`), this one included.
    #[arg(
        long = "persist-to",
        value_name = "DIR",
        hide = true,
        allow_hyphen_values = true
    )]
    pub _persist_to: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct SeedSyntheticArgs {
    /// How many synthetic alerts.
    #[arg(value_name = "N")]
    pub n: usize,
    #[command(flatten)]
    pub content: ContentDir,
    #[command(flatten)]
    pub store: LocalStore,
}

#[derive(Debug, Clone, Args)]
pub struct IndexSizeArgs {
    #[command(flatten)]
    pub content: ContentDir,
    /// Synthetic alerts indexed with content/.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    pub synthetic: usize,
}

/// The exit code of a command line that does not parse (0 for `--help`).
/// The parser before clap took any word as a command and left SLUG and N to
/// the commands, which failed with 1: an unknown command and a missing or
/// unreadable positional argument still exit 1, anything else 2.
pub fn exit_code(e: &clap::Error) -> u8 {
    let positional = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.starts_with('<'),
        Some(ContextValue::Strings(args)) => args.iter().all(|a| a.starts_with('<')),
        _ => false,
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => 1,
        ErrorKind::MissingRequiredArgument
        | ErrorKind::ValueValidation
        | ErrorKind::InvalidValue
            if positional =>
        {
            1
        }
        _ => u8::try_from(e.exit_code()).unwrap_or(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use test_case::test_case;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("alerts").chain(args.iter().copied()))
            .map(|c| c.command)
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_are_the_old_parsers() {
        let Command::Publish(p) = parse(&["publish"]).unwrap() else {
            panic!("not publish")
        };
        assert_eq!(p.content.dir, Path::new("content"));
        assert_eq!(p.store.local.persist_to, Path::new(".wrangler/state"));
        assert!(!p.store.remote && !p.prune);
        assert_eq!(p.synthetic, 0);
        let Command::PreviewLink(l) = parse(&["preview-link", "x"]).unwrap() else {
            panic!("not preview-link")
        };
        assert_eq!((l.hours, l.base.as_str()), (72, "http://127.0.0.1:8787"));
        let Command::Watch(w) = parse(&["watch"]).unwrap() else {
            panic!("not watch")
        };
        assert_eq!(w.crons, None);
    }

    /// Every way the Makefile, `tests/` and `bench/` run the tool.
    #[test_case(&["check"] ; "make check")]
    #[test_case(&["translations"] ; "make translations")]
    #[test_case(&["publish", "--persist-to", ".wrangler/state", "--prune", "--synthetic", "10"] ; "make publish")]
    #[test_case(&["publish", "--remote"] ; "make publish remote")]
    #[test_case(&["new", "my-alert", "--title", "Access Alert: X"] ; "make new")]
    #[test_case(&["preview-link", "x", "--hours", "5", "--base", "http://127.0.0.1:8787"] ; "make preview-link")]
    #[test_case(&["seed-synthetic", "10000", "--persist-to", ".wrangler/state"] ; "make seed-synthetic")]
    #[test_case(&["subscribers", "--persist-to", ".wrangler/state"] ; "make subscribers")]
    #[test_case(&["subscribers", "--remote"] ; "make subscribers remote")]
    #[test_case(&["watch", "--persist-to", "s", "--crons", "http://127.0.0.1:8787"] ; "make dev")]
    #[test_case(&["check-deploy"] ; "make deploy")]
    #[test_case(&["publish", "--content", "c", "--prune", "--persist-to", "s"] ; "tests publish")]
    #[test_case(&["seed-synthetic", "25", "--persist-to", "s"] ; "tests seed-synthetic")]
    #[test_case(&["preview-link", "draft-alert", "--base", "", "--persist-to", "s"] ; "tests preview-link")]
    #[test_case(&["index-size", "--content", "c", "--synthetic", "100"] ; "bench index-size")]
    #[test_case(&["publish", "--content", "c", "--synthetic", "10000", "--persist-to", "s"] ; "bench publish")]
    #[test_case(&["seed-synthetic", "100", "--content", "c", "--persist-to", "s"] ; "bench seed-synthetic")]
    #[test_case(&["new", "--title", "T", "slug"] ; "options before the positional")]
    #[test_case(&["check", "--content", "a", "--content", "b"] ; "a repeated option")]
    #[test_case(&["preview-link", "x", "--hours", "-1"] ; "a negative number of hours")]
    fn parses(args: &[&str]) {
        if let Err(e) = parse(args) {
            panic!("{args:?}: {e}");
        }
    }

    #[test]
    fn the_last_of_a_repeated_option_wins() {
        let Command::Check(c) = parse(&["check", "--content", "a", "--content", "b"]).unwrap()
        else {
            panic!("not check")
        };
        assert_eq!(c.dir, Path::new("b"));
        let Command::PreviewLink(l) = parse(&["preview-link", "x", "--hours", "-1"]).unwrap()
        else {
            panic!("not preview-link")
        };
        assert_eq!(l.hours, -1, "refused by the command, with its range");
    }

    #[test_case(&[], 2 ; "no command")]
    #[test_case(&["frobnicate"], 1 ; "an unknown command")]
    #[test_case(&["new"], 1 ; "a missing slug")]
    #[test_case(&["preview-link"], 1 ; "a missing preview slug")]
    #[test_case(&["seed-synthetic"], 1 ; "a missing n")]
    #[test_case(&["seed-synthetic", "many"], 1 ; "an n that is no number")]
    #[test_case(&["check", "--colour"], 2 ; "an unknown option")]
    #[test_case(&["check", "--content"], 2 ; "an option without its value")]
    #[test_case(&["preview-link", "x", "--hours", "soon"], 2 ; "hours that are no number")]
    #[test_case(&["publish", "--synthetic", "many"], 2 ; "a synthetic count that is no number")]
    #[test_case(&["check", "--remote"], 2 ; "an option of another command")]
    #[test_case(&["--help"], 0 ; "help")]
    #[test_case(&["help"], 1 ; "help is no command")]
    fn exit_codes(args: &[&str], code: u8) {
        let e = parse(args).expect_err("does not parse");
        assert_eq!(exit_code(&e), code, "{args:?}: {e}");
    }
}
