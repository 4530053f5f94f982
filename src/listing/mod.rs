//! Listings as KV reads, never `list()`: the formats of a listing's keys
//! and the filling of one page from them, independent of KV itself (the
//! publisher's side, building the keys from `content/`, is in
//! `listing_build`).
//!
//! A listing (every alert, a category, a tag) is one index key, `ls:<id>`,
//! naming one chunk per month with alerts, newest month first:
//! `yyyy-mm\t<entries>\t<hash>` per line. A chunk, `ls:<id>:<yyyy-mm>:<hash>`,
//! holds the month's entries newest first (ties by slug), one per line:
//! `<date>\t<slug>\t<hash>\t<updated>\t<category>\t<title>\t<summary>[\t<tag>]...[\t<lang>␟<title>␟<summary>]...`
//! (dates in unix seconds, an empty field for no update or category; a
//! translation's field joined by U+001F; tabs, line breaks and U+001F in
//! the text fields written as spaces): split, not
//! parsed, so that a page reads only its own lines, and no JSON
//! deserializer for it in the wasm. A chunk's key names its
//! content, so it never changes once written: it is read with a long
//! `cacheTtl` and kept in the isolate until evicted. Only the index changes.
//! A month's archive is the chunk of that month in the `all` listing.
//!
//! After the month lines and a blank line, the index holds its listing's
//! head: the newest [`HEAD`] entries' lines, scheduled ones included, in
//! the chunks' format. A page that the head fills (the first pages, the
//! feeds, an alert's related ones, with fewer than about `HEAD - want`
//! alerts scheduled) is answered from the index alone: one key read.
//!
//! Scheduled alerts are in the chunks like any other and skipped until their
//! date, so an alert goes live by itself; pages are cut by position in time
//! (`Position`: a date and a slug), not by offset, so a reader paging while
//! an alert is published neither skips nor repeats one.

mod line;

pub use line::chunk_line;
use line::{line, meta};

use crate::content::{ListingEntry, ListingMeta};
use crate::i18n::Lang;

/// The prefix of every listing key.
pub const PREFIX: &str = "ls:";

/// A second criterion on listing entries (besides the listing itself).
pub type EntryFilter = Box<dyn Fn(&ListingMeta) -> bool>;

/// At most this many bulk reads of chunks fill one page (bounds a
/// filtered page's work when few entries match).
pub const MAX_ROUNDS: usize = 4;
/// KV's bulk get takes at most this many keys.
pub const BULK_MAX: usize = 100;
/// How many of a listing's newest entries its index holds (its head): the
/// feeds' 20 and two listing pages of 10, with room for scheduled alerts.
pub const HEAD: usize = 30;

/// Which listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Listing {
    All,
    /// A category, by its slug (`keys::name_slug`).
    Category(String),
    /// A tag, by its slug.
    Tag(String),
    /// The alerts translated into a language (its feeds).
    Lang(Lang),
}

impl Listing {
    fn id(&self) -> String {
        match self {
            Listing::All => "all".into(),
            Listing::Category(s) => format!("cat:{s}"),
            Listing::Tag(s) => format!("tag:{s}"),
            Listing::Lang(l) => format!("lang:{}", l.code()),
        }
    }

    /// The key of the listing's index.
    pub fn index_key(&self) -> String {
        format!("{PREFIX}{}", self.id())
    }

    /// The key of one month's chunk with this content hash.
    pub fn chunk_key(&self, month: &str, hash: &str) -> String {
        format!("{PREFIX}{}:{month}:{hash}", self.id())
    }
}

/// Whether `key` is a chunk (content-addressed) rather than an index.
pub fn is_chunk_key(key: &str) -> bool {
    key.strip_prefix(PREFIX).is_some_and(|rest| {
        let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
        parts.len() == 3 && is_month(parts[1]) && !parts[0].is_empty()
    })
}

fn is_month(m: &str) -> bool {
    m.len() == 7 && m.as_bytes()[4] == b'-' && m.bytes().filter(u8::is_ascii_digit).count() == 6
}

/// `yyyy-mm` of a date (unix seconds, UTC).
pub fn month_of(date: i64) -> String {
    use chrono::Datelike;
    let d = chrono::DateTime::from_timestamp(date, 0).unwrap_or_default();
    format!("{:04}-{:02}", d.year(), d.month())
}

/// A place in a listing: just after the entry of this date and slug.
/// Listings run newest first, and among entries of one date by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub date: i64,
    pub slug: String,
}

impl Position {
    /// `<unix seconds>-<slug>`, as cursors are written in URLs; anything
    /// else is `None`.
    pub fn parse(s: &str) -> Option<Position> {
        let (date, slug) = s.split_once('-')?;
        if date.is_empty() || date.len() > 12 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let date = date.parse().ok()?;
        crate::keys::is_valid_slug(slug).then(|| Position {
            date,
            slug: slug.to_string(),
        })
    }

    pub fn render(&self) -> String {
        format!("{}-{}", self.date, self.slug)
    }

    /// Whether the entry of `date` and `slug` comes after this place.
    pub fn before(&self, date: i64, slug: &str) -> bool {
        date < self.date || (date == self.date && slug > self.slug.as_str())
    }
}

/// One line of a listing's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRef<'a> {
    pub month: &'a str,
    pub entries: usize,
    pub hash: &'a str,
}

/// The lines of an index that are well formed, newest month first.
pub fn index_lines(text: &str) -> impl Iterator<Item = ChunkRef<'_>> {
    months_part(text).lines().filter_map(|l| {
        let mut f = l.split('\t');
        let (month, entries, hash) = (f.next()?, f.next()?, f.next()?);
        (is_month(month) && !hash.is_empty()).then_some(ChunkRef {
            month,
            entries: entries.parse().ok()?,
            hash,
        })
    })
}

/// An index's month lines (before its head).
fn months_part(text: &str) -> &str {
    text.split_once("\n\n").map_or(text, |(months, _)| months)
}

/// The head of a listing's index: its newest entries, in chunk lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head<'a> {
    pub text: &'a str,
    /// Whether the head holds every entry of the listing.
    pub whole: bool,
}

/// The head of an index, if it has one (an index written before heads
/// has none, and is read through its chunks).
pub fn index_head(text: &str) -> Option<Head<'_>> {
    let (_, head) = text.split_once("\n\n")?;
    let total: usize = index_lines(text).map(|r| r.entries).sum();
    Some(Head {
        text: head,
        whole: head.lines().count() >= total,
    })
}

/// An index's text: its month lines (`(month, entries, hash)`, newest
/// first), a blank line and the head (chunk lines of the newest entries).
pub fn index_text<'a>(
    months: impl IntoIterator<Item = (&'a str, usize, &'a str)>,
    head: &[String],
) -> String {
    let mut text = String::new();
    for (month, entries, hash) in months {
        text.push_str(&format!("{month}\t{entries}\t{hash}\n"));
    }
    text.push('\n');
    head.iter().for_each(|l| text.push_str(l));
    text
}

/// Fills one page of public entries from a listing's chunks, fed in order.
pub struct Collector {
    want: usize,
    now: i64,
    after: Option<Position>,
    filter: Option<EntryFilter>,
    /// Entries collected so far, newest first.
    pub entries: Vec<ListingEntry>,
    /// Chunk lines that could not be read, as `key line n` (logged).
    pub broken: Vec<String>,
    /// The earliest date of a scheduled entry seen: the page changes then.
    pub scheduled: Option<i64>,
    /// The last public entry looked at (shown or filtered out).
    seen: Option<Position>,
    /// Whether an entry remains after the last one shown.
    more: bool,
}

impl Collector {
    /// A page of `want` entries dated at or before `now` (unix seconds),
    /// after `after` (from the start without).
    pub fn new(want: usize, now: i64, after: Option<Position>) -> Self {
        Collector {
            want: want.max(1),
            now,
            after,
            filter: None,
            entries: Vec::new(),
            broken: Vec::new(),
            scheduled: None,
            seen: None,
            more: false,
        }
    }

    /// Keeps only entries the filter accepts. A page may then come back
    /// short, with a next cursor, when `MAX_ROUNDS` reads found too few.
    pub fn with_filter(mut self, filter: EntryFilter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// A new collector for the same page, from the start (the filter moves
    /// to it): when the head did not fill the page.
    pub fn restart(&mut self) -> Collector {
        let mut c = Collector::new(self.want, self.now, self.after.clone());
        c.filter = self.filter.take();
        c
    }

    pub fn is_full(&self) -> bool {
        self.entries.len() >= self.want
    }

    /// Entries still missing.
    pub fn missing(&self) -> usize {
        self.want.saturating_sub(self.entries.len())
    }

    /// Takes one chunk (`key` names it in the log); `last`: no chunk of
    /// the listing follows it.
    pub fn feed(&mut self, key: &str, text: &str, last: bool) {
        for (n, l) in text.lines().enumerate() {
            let Some(line) = line(l) else {
                self.broken.push(format!("{key} line {}", n + 1));
                continue;
            };
            if self
                .after
                .as_ref()
                .is_some_and(|p| !p.before(line.date, line.slug))
            {
                continue;
            }
            if line.date > self.now {
                self.scheduled = Some(self.scheduled.map_or(line.date, |s| s.min(line.date)));
                continue;
            }
            if self.is_full() {
                self.more = true;
                return;
            }
            let Some(meta) = meta(line.date, line.rest) else {
                self.broken.push(format!("{key} line {}", n + 1));
                continue;
            };
            self.seen = Some(Position {
                date: line.date,
                slug: line.slug.to_string(),
            });
            if self.filter.as_ref().is_some_and(|f| !f(&meta)) {
                continue;
            }
            self.entries.push(ListingEntry {
                slug: line.slug.to_string(),
                meta,
            });
        }
        if self.is_full() && !last {
            self.more = true;
        }
    }

    /// The cursor of the next (older) page: after the last entry shown when
    /// the page is full and more remain; after the last one looked at when
    /// the reads ran out first (`unfinished`: chunks remain unread). A page
    /// that found nothing hands out none.
    pub fn next_cursor(&self, unfinished: bool) -> Option<String> {
        if self.entries.is_empty() {
            return None;
        }
        if self.is_full() {
            let last = self.entries.last()?;
            return self.more.then(|| {
                Position {
                    date: last.meta.date,
                    slug: last.slug.clone(),
                }
                .render()
            });
        }
        if unfinished {
            return self.seen.as_ref().map(Position::render);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::EntryText;

    fn entry(slug: &str, date: i64) -> ListingEntry {
        ListingEntry {
            slug: slug.into(),
            meta: ListingMeta {
                title: slug.into(),
                date,
                hash: String::new(),
                updated: None,
                category: Some(if date % 2 == 0 { "Even" } else { "Odd" }.into()),
                tags: vec![],
                summary: String::new(),
                texts: vec![],
            },
        }
    }

    fn chunk(entries: &[(&str, i64)]) -> String {
        entries
            .iter()
            .map(|(s, d)| chunk_line(&entry(s, *d)))
            .collect()
    }

    fn slugs(c: &Collector) -> Vec<&str> {
        c.entries.iter().map(|e| e.slug.as_str()).collect()
    }

    #[test]
    fn a_line_gives_back_its_entry_with_tabs_and_breaks_as_spaces() {
        let mut e = entry("a", 20);
        e.meta.tags = vec!["UN OEWG".into(), "Tür\tkiye".into()];
        e.meta.updated = Some(30);
        e.meta.hash = "abc".into();
        e.meta.summary = "Two\nlines".into();
        let mut c = Collector::new(5, 100, None);
        c.feed("k", &chunk_line(&e), true);
        e.meta.tags[1] = "Tür kiye".into();
        e.meta.summary = "Two lines".into();
        assert_eq!(c.entries, [e.clone()]);
        e.meta.category = None;
        e.meta.tags.clear();
        e.meta.updated = None;
        let mut c = Collector::new(5, 100, None);
        c.feed("k", &chunk_line(&e), true);
        assert_eq!(c.entries, [e]);
    }

    #[test]
    fn a_line_keeps_its_translations_apart_from_its_tags() {
        let mut e = entry("a", 20);
        e.meta.tags = vec!["Cybersecurity".into()];
        e.meta.texts = vec![
            EntryText {
                lang: Lang::Ar,
                title: "عنوان".into(),
                summary: "ملخص\u{1f}".into(),
            },
            EntryText {
                lang: Lang::Fr,
                title: "Titre".into(),
                summary: "Résumé".into(),
            },
        ];
        let mut c = Collector::new(5, 100, None);
        c.feed("k", &chunk_line(&e), true);
        e.meta.texts[0].summary = "ملخص ".into();
        assert_eq!(c.entries, [e.clone()]);
        assert_eq!(c.entries[0].meta.text(Lang::Fr).unwrap().title, "Titre");
        assert!(c.entries[0].meta.text(Lang::Zh).is_none());
        // A translation field in a language the site doesn't know is a
        // broken line (logged), not a tag.
        let odd = chunk_line(&e).replace("fr\u{1f}", "de\u{1f}");
        let mut c = Collector::new(5, 100, None);
        c.feed("k", &odd, true);
        assert!(c.entries.is_empty());
        assert_eq!(c.broken, ["k line 1"]);
    }

    #[test]
    fn an_index_is_its_month_lines_a_blank_line_and_its_head() {
        let head = [chunk(&[("b", 30)]), chunk(&[("a", 20)])];
        let text = index_text([("2024-11", 1, "aa"), ("2024-10", 2, "bb")], &head);
        let months: Vec<_> = index_lines(&text).map(|r| (r.month, r.entries)).collect();
        assert_eq!(months, [("2024-11", 1), ("2024-10", 2)]);
        let h = index_head(&text).unwrap();
        assert_eq!(h.text, head.concat());
        assert!(!h.whole, "2 of 3 entries");
        let all = [head[0].clone(), head[1].clone(), chunk(&[("z", 10)])];
        let text = index_text([("2024-11", 1, "aa"), ("2024-10", 2, "bb")], &all);
        assert!(index_head(&text).unwrap().whole);
        assert_eq!(
            index_head("2024-11\t1\taa\n"),
            None,
            "an index without a head"
        );
    }

    #[test]
    fn a_restarted_collector_keeps_its_filter_and_place() {
        let mut c = Collector::new(3, 100, Position::parse("50-b")).with_filter(Box::new(
            |m: &ListingMeta| m.category.as_deref() == Some("Even"),
        ));
        c.feed("k", &chunk(&[("c", 40), ("d", 39), ("e", 38)]), false);
        assert_eq!(slugs(&c), ["c", "e"]);
        let mut c = c.restart();
        assert!(c.entries.is_empty());
        let chunk = chunk(&[("a", 60), ("c", 40), ("d", 39), ("e", 38), ("f", 36)]);
        c.feed("k", &chunk, true);
        assert_eq!(slugs(&c), ["c", "e", "f"], "after 50-b, Even only");
    }

    #[test]
    fn keys_name_the_listing_month_and_content() {
        assert_eq!(Listing::All.index_key(), "ls:all");
        assert_eq!(
            Listing::Tag("un-oewg".into()).chunk_key("2024-11", "ab12"),
            "ls:tag:un-oewg:2024-11:ab12"
        );
        assert!(is_chunk_key("ls:tag:un-oewg:2024-11:ab12"));
        assert!(!is_chunk_key("ls:tag:un-oewg"));
        assert!(!is_chunk_key("ls:all"));
        assert!(!is_chunk_key("site:months"));
        assert_eq!(month_of(1_732_492_800), "2024-11");
    }

    #[test]
    fn positions_round_trip_and_order_newest_first_then_by_slug() {
        let p = Position::parse("1732492800-mexico-new-agency").unwrap();
        assert_eq!(p.render(), "1732492800-mexico-new-agency");
        for bad in [
            "",
            "abc",
            "-slug",
            "12-",
            "12-Bad",
            "1234567890123-a",
            "12x-a",
        ] {
            assert_eq!(Position::parse(bad), None, "{bad}");
        }
        assert!(p.before(1_732_492_799, "a"));
        assert!(p.before(1_732_492_800, "zzz"));
        assert!(!p.before(1_732_492_800, "mexico-new-agency"));
        assert!(!p.before(1_732_492_800, "a"));
        assert!(!p.before(1_732_492_801, "z"));
    }

    #[test]
    fn index_lines_skip_malformed_ones() {
        let refs: Vec<_> =
            index_lines("2024-11\t3\taa\nbroken\n2024-1\t1\tbb\n2024-10\tx\tcc\n2024-09\t2\tdd\n")
                .collect();
        assert_eq!(
            refs.iter()
                .map(|r| (r.month, r.entries))
                .collect::<Vec<_>>(),
            [("2024-11", 3), ("2024-09", 2)]
        );
    }

    #[test]
    fn fills_a_page_across_chunks_and_skips_scheduled_entries() {
        let mut c = Collector::new(3, 100, None);
        c.feed(
            "k1",
            &chunk(&[("future", 300), ("later", 200), ("a", 90)]),
            false,
        );
        assert_eq!(c.scheduled, Some(200));
        assert!(!c.is_full());
        c.feed("k2", &chunk(&[("b", 80), ("c", 70), ("d", 60)]), true);
        assert_eq!(slugs(&c), ["a", "b", "c"]);
        assert_eq!(c.next_cursor(false).as_deref(), Some("70-c"));
    }

    #[test]
    fn a_cursor_starts_after_its_entry_even_among_equal_dates() {
        let text = chunk(&[("a", 50), ("b", 50), ("c", 50), ("d", 40)]);
        let mut c = Collector::new(2, 100, Position::parse("50-a"));
        c.feed("k", &text, true);
        assert_eq!(slugs(&c), ["b", "c"]);
        let mut next = Collector::new(2, 100, Position::parse(&c.next_cursor(false).unwrap()));
        next.feed("k", &text, true);
        assert_eq!(slugs(&next), ["d"]);
        assert_eq!(next.next_cursor(false), None, "the end");
    }

    #[test]
    fn an_alert_published_between_two_pages_is_neither_skipped_nor_repeated() {
        let before = chunk(&[("c", 30), ("b", 20), ("a", 10)]);
        let mut first = Collector::new(2, 100, None);
        first.feed("k", &before, true);
        assert_eq!(slugs(&first), ["c", "b"]);
        let cursor = first.next_cursor(false).unwrap();
        // A new alert at the top, and one dated between the pages.
        let after = chunk(&[("new", 40), ("c", 30), ("b", 20), ("mid", 15), ("a", 10)]);
        let mut second = Collector::new(2, 100, Position::parse(&cursor));
        second.feed("k", &after, true);
        assert_eq!(slugs(&second), ["mid", "a"]);
    }

    #[test]
    fn a_full_page_at_the_end_of_the_last_chunk_has_no_next_cursor() {
        let mut c = Collector::new(2, 100, None);
        c.feed("k", &chunk(&[("a", 20), ("b", 10)]), true);
        assert_eq!(c.next_cursor(false), None);
        let mut d = Collector::new(2, 100, None);
        d.feed("k", &chunk(&[("a", 20), ("b", 10)]), false);
        assert_eq!(d.next_cursor(false).as_deref(), Some("10-b"));
    }

    #[test]
    fn a_filtered_page_cut_short_continues_after_what_it_looked_at() {
        let mut c = Collector::new(5, 100, None)
            .with_filter(Box::new(|m| m.category.as_deref() == Some("Even")));
        c.feed("k", &chunk(&[("a", 20), ("b", 19), ("c", 17)]), false);
        assert_eq!(slugs(&c), ["a"]);
        assert_eq!(c.next_cursor(true).as_deref(), Some("17-c"));
        let empty = Collector::new(5, 100, None);
        assert_eq!(empty.next_cursor(true), None, "nothing found: no cursor");
    }

    #[test]
    fn malformed_lines_are_reported_by_key_and_line_and_skipped() {
        let mut c = Collector::new(5, 100, None);
        let text = format!(
            "not a line\n{}12\tb\th\tnot a date\tc\tt\ts\n",
            chunk(&[("a", 20)])
        );
        c.feed("ls:all:2024-11:ab", &text, true);
        assert_eq!(slugs(&c), ["a"]);
        assert_eq!(
            c.broken,
            ["ls:all:2024-11:ab line 1", "ls:all:2024-11:ab line 3"]
        );
    }
}
