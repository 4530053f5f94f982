//! Arabic for search (`super::languages`): normalisation (marks and
//! tatweel removed, letter variants unified), the article and the
//! particles joined to it, and what tells, before a word is stemmed,
//! whether a key may meet it wherever Snowball's Arabic leaves its stem's
//! start (a hamza's seat as Snowball writes it; windows refused by the
//! keys' initials).

use super::analyze::MAX_WORD_CHARS;

/// Arabic text normalised for search: marks and tatweel removed, letter
/// variants unified (see the module's documentation).
pub fn normalise(word: &str) -> String {
    word.chars().filter_map(letter).collect()
}

/// One character as Arabic normalisation leaves it (`None`: a mark or the
/// tatweel, removed).
fn letter(c: char) -> Option<char> {
    match c {
        '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{0640}' => None,
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ى' => Some('ي'),
        'ة' => Some('ه'),
        c => Some(c),
    }
}

/// Whether a key may meet an Arabic word (of at most `MAX_WORD_CHARS`)
/// wherever Snowball may leave its stem's start: some three letters of it
/// (fewer at its end), normalised as the word would be, that `wanted`
/// takes, a hamza's seat (`ؤ`, `ئ`) as Snowball rewrites it (`ء` where
/// the stem ends on it, else `و`, `ي`: each way). A word with a letter
/// that is not a plain Arabic letter (but for a word of ASCII letters and
/// digits only), or with none, may always meet one. Read
/// before the word is normalised, folded and stemmed, which most words of
/// a text never need.
///
/// `initials` (bits of [`initials`]) are the letters the keys
/// start with: a window starting with none of them is refused before it
/// is offered to `wanted` (a text's words are offered several windows
/// each, and most windows start with no key's letter).
pub(super) fn may_meet(raw: &str, initials: u64, wanted: &dyn Fn(&str) -> bool) -> bool {
    // Digits and Latin letters alone (`2024`, `OEWG`): Snowball's Arabic
    // leaves them as they are (its rules are Arabic letters'), so their
    // first one decides, as in the other languages.
    if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let first = raw.as_bytes().first().map(u8::to_ascii_lowercase);
        return first.is_some_and(|b| wanted(std::str::from_utf8(&[b]).unwrap_or("")));
    }
    // The letters, each two bytes of UTF-8 (U+0621 to U+064A), a hamza's
    // seat (`ؤ`, `ئ`) as Snowball writes it but at the stem's end: `و`,
    // `ي` (and `seats` says where).
    let mut buf = [0u8; 2 * MAX_WORD_CHARS];
    // The bit of each letter a window may start at, as the window may
    // begin (a seat: also `ء`'s).
    let mut firsts = [0u64; STEM_STARTS];
    let mut n = 0;
    let mut seats: u64 = 0;
    for c in raw.chars().filter_map(letter) {
        if !is_plain_letter(c) || n == MAX_WORD_CHARS {
            return true;
        }
        let seat = matches!(c, 'ؤ' | 'ئ');
        seats |= u64::from(seat) << n;
        let c = match c {
            'ؤ' => 'و',
            'ئ' => 'ي',
            c => c,
        };
        if let Some(first) = firsts.get_mut(n) {
            *first = bit(c) | if seat { bit('ء') } else { 0 };
        }
        c.encode_utf8(&mut buf[2 * n..]);
        n += 1;
    }
    let starts = n.min(STEM_STARTS);
    n == 0
        || (0..starts).any(|j| {
            if firsts[j] & initials == 0 {
                return false;
            }
            let len = n.min(j + 3) - j;
            // A seat in the window is `ء` where the stem ends on it: each
            // of the window's seats either way.
            let here = (seats >> j) & ((1 << len) - 1);
            (0..=here).filter(|m| m & !here == 0).any(|m| {
                let mut window = [0u8; 6];
                window[..2 * len].copy_from_slice(&buf[2 * j..2 * (j + len)]);
                for k in (0..len).filter(|k| m >> k & 1 == 1) {
                    'ء'.encode_utf8(&mut window[2 * k..]);
                }
                std::str::from_utf8(&window[..2 * len]).is_ok_and(wanted)
            })
        })
}

/// Whether `c` is one of the Arabic alphabet's letters (U+0621 to
/// U+063A, U+0641 to U+064A), which Snowball's Arabic leaves as they are
/// but for a hamza's seat; it rewrites digits and presentation forms.
pub(super) fn is_plain_letter(c: char) -> bool {
    matches!(c, 'ء'..='غ' | 'ف'..='ي')
}

/// [`initials`] of no key in particular: every window is offered.
pub const ANY: u64 = u64::MAX;

/// An Arabic letter's bit (U+0621 to U+064A; none for another character).
fn bit(c: char) -> u64 {
    match c {
        'ء'..='ي' => 1 << (c as u32 - 'ء' as u32),
        _ => 0,
    }
}

/// The Arabic letters the keys `starts` begin with, as bits, for
/// [`super::languages::terms_at`]: a word no window of which starts with one of them is
/// refused before its windows are compared with the keys (an empty start,
/// which meets every word: all of them).
pub fn initials<'a>(starts: impl IntoIterator<Item = &'a str>) -> u64 {
    starts
        .into_iter()
        .fold(0, |bits, s| match s.chars().next() {
            Some(c) => bits | bit(c),
            None => ANY,
        })
}

/// The definite article and the particles joined to it (`ال`, `وال`,
/// `بال`, `كال`, `فال`, `لل`), as Lucene's light stemmer removes them, when
/// at least three letters are left. Snowball's Arabic stems a word with
/// the article and without it differently (`المفاوضات`: `مفاوض`;
/// `مفاوضات`: `مفاوضا`), so that a query typed with the article would miss
/// the text's word without it: both are stemmed without it.
pub(super) fn without_article(word: &str) -> &str {
    for prefix in ["وال", "بال", "كال", "فال", "ال", "لل"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            if rest.chars().count() >= 3 {
                return rest;
            }
        }
    }
    word
}

/// The most letters Snowball's Arabic takes off a word's start (`وال`,
/// `بال`, `يست`... and a conjunction before them).
pub(super) const PREFIX_CHARS: usize = 4;

/// Where in a word Snowball's Arabic stem may start: at most
/// `PREFIX_CHARS` letters in once the article, at most three, is
/// off.
const STEM_STARTS: usize = 3 + PREFIX_CHARS + 1;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn stems(lang: Lang, text: &str) -> Vec<String> {
        super::super::languages::words_in(lang, text)
            .into_iter()
            .map(|w| w.stem)
            .collect()
    }

    /// A hamza's seat is read as Snowball writes it in the stem (`و`, `ي`,
    /// or `ء` at its end): a word with one is offered to a key where its
    /// stem may meet it, and refused where it cannot (it used to be
    /// stemmed whatever the key).
    #[test]
    fn a_hamza_seat_is_read_as_snowball_writes_it() {
        let meets = |word: &str, key: &str| {
            let key: String = key.chars().take(3).collect();
            may_meet(word, initials([key.as_str()]), &|w: &str| {
                let n = w.len().min(key.len());
                w.as_bytes()[..n] == key.as_bytes()[..n]
            })
        };
        for word in [
            "رئيس",
            "الرئيس",
            "المسؤولين",
            "مسؤول",
            "القوائم",
            "أُنشئ",
            "شؤون",
            "بيئة",
            "يقرؤون",
            "مبادئ",
            "سئل",
            "ملء",
            "بطئ",
            "جزئ",
            "مئه",
            "لؤلؤ",
        ] {
            let stem = stems(Lang::Ar, word).pop().unwrap();
            assert!(meets(word, &stem), "{word}: its stem {stem}");
        }
        assert!(!meets("القوائم", "تنب"));
        assert!(!meets("أُنشئ", "تنب"));
        // `بيئة` stems to `بيء`: the seat read as `ي` alone would refuse it.
        assert!(meets("بيئة", "بيء") && !meets("بيئة", "بين"));
    }

    /// The keys' Arabic initials: a Latin or digit start adds none (an
    /// Arabic word's windows never start with one), an empty start meets
    /// every word, so lets every window through.
    #[test]
    fn arabic_initials_are_the_letters_keys_start_with() {
        assert_eq!(initials(["تنب", "oewg", "2024"]), bit('ت'));
        assert_eq!(initials(["ء", "ي"]), 1 | 1 << 41);
        assert_eq!(initials(["تنب", ""]), ANY);
        // A word is refused by its windows' first letters alone, whatever
        // `wanted` would say.
        assert!(!may_meet("القوائم", bit('ت'), &|_| true));
        assert!(may_meet("القوائم", bit('ق'), &|_| { true }));
    }

    /// What `may_meet` relies on: Snowball's Arabic leaves a word
    /// of ASCII letters and digits as it is (lowercased).
    #[test]
    fn arabic_leaves_latin_letters_and_digits_alone() {
        for word in ["OEWG2024", "un", "150", "alal", "x1y2"] {
            assert_eq!(stems(Lang::Ar, word), [word.to_lowercase()], "{word}");
        }
    }
}
