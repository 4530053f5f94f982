//! A term's postings (`search:t:<stem>`, `super::index`): the stored
//! list's format and how the Worker reads it, whole or only its newest
//! rows.

use super::index::{count_at, render_dates, MAX_POSTINGS};

/// One alert in a term's postings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting<'a> {
    /// BM25F term-frequency part, times 1,000 (the IDF is applied per query).
    pub impact: u32,
    /// Unix seconds (a scheduled alert is skipped until then).
    pub date: i64,
    pub slug: &'a str,
    /// Category slug, or empty.
    pub category: &'a str,
    /// Tag slugs, comma-separated.
    pub tags: &'a str,
}

impl Posting<'_> {
    pub fn has_tag(&self, slug: &str) -> bool {
        !self.tags.is_empty() && self.tags.split(',').any(|t| t == slug)
    }
}

/// A term's postings as read at a time (`search:t:<stem>`): the stored
/// text is a first line `df[\tdates[\tmax,min]]` (the alerts public when it
/// was built, the dates of the scheduled ones, comma-separated, and the
/// highest and lowest impact of the public postings), then the best public
/// postings (by impact) and every scheduled one, each part the newest
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermList<'a> {
    /// How many alerts (drafts aside) public at the time read have the term.
    pub df: u32,
    /// The postings of alerts public at the time read, the newest first
    /// (the order of a word whose postings all rank the same; a query
    /// ranks them by score).
    pub postings: Vec<Posting<'a>>,
    /// How many more public postings the stored list holds after these,
    /// not read ([`TermList::parse_newest`]; none for [`TermList::parse`]).
    pub unread: usize,
}

/// The order of the best postings, chosen at build: best first, newer
/// first among equals.
pub(super) fn posting_order(a: (u32, i64, &str), b: (u32, i64, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2))
}

/// The order they are stored and read in: the newest first (the slug
/// breaks a tie), the order a query shows postings that rank the same.
pub(super) fn newest_first(a: (i64, &str), b: (i64, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(b.1))
}

/// A term list's first line.
struct Head<'a> {
    df: u32,
    dates: &'a str,
    /// The public postings' highest and lowest impact (lists built before
    /// it was kept have none).
    span: Option<(u32, u32)>,
}

impl<'a> Head<'a> {
    fn parse(line: &'a str) -> Option<Self> {
        let mut fields = line.split('\t');
        let df = fields.next()?.parse().ok()?;
        let dates = fields.next().unwrap_or("");
        let span = match fields.next() {
            Some(f) => {
                let (max, min) = f.split_once(',')?;
                Some((max.parse().ok()?, min.parse().ok()?))
            }
            None => None,
        };
        Some(Head { df, dates, span })
    }

    /// How many scheduled postings follow the public ones.
    fn scheduled(&self) -> usize {
        self.dates.split(',').filter(|d| !d.is_empty()).count()
    }
}

/// The first `limit` rows of `rows` (`impact\tdate\tslug\tcategory\ttags`
/// each); `None` if one is not a posting. The rows are cut at every tab
/// and line end in one pass (a common word's list is 500 rows, and a
/// search per field was most of a query's work).
fn rows_of(rows: &str, limit: usize) -> Option<Vec<Posting<'_>>> {
    let mut postings: Vec<Posting> = Vec::with_capacity(limit.min(MAX_POSTINGS));
    let mut fields = [""; 5];
    let (mut n, mut start) = (0, 0);
    let ends = (rows.bytes().enumerate())
        .filter(|(_, b)| matches!(b, b'\t' | b'\n'))
        .map(|(i, _)| i);
    for at in ends.chain((!rows.ends_with('\n') && !rows.is_empty()).then_some(rows.len())) {
        if postings.len() == limit {
            break;
        }
        if let Some(f) = fields.get_mut(n) {
            *f = &rows[start..at];
        }
        n += 1;
        start = at + 1;
        if rows.as_bytes().get(at).is_none_or(|b| *b == b'\n') {
            let [impact, date, slug, category, tags] = fields;
            if n < fields.len() {
                return None;
            }
            postings.push(Posting {
                impact: impact.parse().ok()?,
                date: date.parse().ok()?,
                slug,
                category,
                tags,
            });
            n = 0;
        }
    }
    Some(postings)
}

impl<'a> TermList<'a> {
    /// Whether every alert with the term is listed (else only the best).
    pub fn complete(&self) -> bool {
        (self.postings.len() + self.unread) as u64 >= u64::from(self.df)
    }

    /// Reads a stored list as of `now` (unix seconds): the alerts public
    /// then, counted and listed the newest first; `None` if it is not one
    /// (logged by the caller).
    pub fn parse(text: &'a str, now: i64) -> Option<Self> {
        let (head, rows) = text.split_once('\n').unwrap_or((text, ""));
        let head = Head::parse(head)?;
        let df = count_at(head.df, head.dates, now);
        let mut postings = rows_of(rows, usize::MAX)?;
        let later = postings.split_off(postings.len().saturating_sub(head.scheduled()));
        // (A list built before the dates were kept may hold a scheduled
        // alert among the public ones.)
        postings.retain(|p| p.date <= now);
        // A scheduled alert is newer than every public one when the list
        // was built: those whose date has come go first, as stored.
        let mut due = later;
        due.retain(|p| p.date <= now);
        due.append(&mut postings);
        Some(TermList {
            df,
            postings: due,
            unread: 0,
        })
    }

    /// Reads only the newest `want` postings of a stored list as of `now`,
    /// when `rank_equal(df, highest impact, lowest impact)` (of all that
    /// are public then) says they all rank the same: a one-word query for
    /// a word in nearly every alert ([`super::fields::all_equal`]) shows
    /// them in this order and needs no more. `None` where they do not,
    /// where the list keeps no impacts' span (it was built before) or is
    /// not one; [`TermList::parse`] then reads it.
    pub fn parse_newest(
        text: &'a str,
        now: i64,
        want: usize,
        rank_equal: impl Fn(u32, u32, u32) -> bool,
    ) -> Option<Self> {
        let (head, rows) = text.split_once('\n').unwrap_or((text, ""));
        let head = Head::parse(head)?;
        let (mut max, mut min) = head.span?;
        // The scheduled rows are the last lines, the newest first: those
        // whose date has come are the oldest of them, at the very end.
        let body = rows.strip_suffix('\n').unwrap_or(rows);
        let mut cut = body.len();
        for _ in 0..head.scheduled() {
            cut = body[..cut].rfind('\n').unwrap_or(0);
        }
        let (public_rows, later) = rows.split_at(cut);
        let mut postings: Vec<Posting> = rows_of(later.trim_start_matches('\n'), usize::MAX)?;
        postings.retain(|p| p.date <= now);
        for p in &postings {
            (max, min) = (max.max(p.impact), min.min(p.impact));
        }
        let df = count_at(head.df, head.dates, now);
        if !rank_equal(df, max, min) {
            return None;
        }
        let public = (head.df as usize).min(MAX_POSTINGS);
        let read = public.min(want.saturating_sub(postings.len()));
        let first = rows_of(public_rows, read)?;
        if first.len() < read {
            return None;
        }
        postings.extend(first);
        Some(TermList {
            df,
            postings,
            unread: public - read,
        })
    }

    /// The stored text of public postings (scheduled ones' `dates`
    /// counted from their date on).
    pub fn render(&self, dates: &[i64]) -> String {
        let public = self.postings.len().saturating_sub(dates.len());
        let impacts = self.postings[..public].iter().map(|p| p.impact);
        let mut out = self.df.to_string();
        if let (Some(max), Some(min)) = (impacts.clone().max(), impacts.min()) {
            out.push_str(&format!("\t{}\t{max},{min}", render_dates(dates)));
        } else if !dates.is_empty() {
            out.push_str(&format!("\t{}", render_dates(dates)));
        }
        out.push('\n');
        for p in &self.postings {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                p.impact, p.date, p.slug, p.category, p.tags
            ));
        }
        out
    }
}
