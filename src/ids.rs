//! Ids: one shape for every id the site makes (inquiries, subscribers,
//! confirmation requests, claims, dead mail), and one check for an id read
//! back from a queue message, a link or a URL.
//!
//! An id is the time in milliseconds (12 hex digits, so ids sort by when
//! they were made) and 64 random bits (16 hex digits): 28 characters that
//! are safe in a KV key, a link, a header and a log line. The time says
//! when something was made, which is never a secret here (each is logged
//! with it); the random part makes an id impossible to guess.

/// The longest id `is_id` accepts.
pub const MAX_LEN: usize = 64;

/// A new id from the clock (unix milliseconds) and 64 random bits.
pub fn new(now_millis: i64, random: u64) -> String {
    format!("{:012x}{random:016x}", now_millis.max(0))
}

/// Whether `id` is fit for a key, a link and a log line: 1 to 64 ASCII
/// letters and digits.
pub fn is_id(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_sort_by_time_and_pass_the_check() {
        let a = new(1_733_011_200_000, u64::MAX);
        let b = new(1_733_011_200_001, 0);
        assert_eq!(a.len(), 28);
        assert!(a < b, "{a} sorts before {b}");
        assert!(is_id(&a) && is_id(&b));
        assert_eq!(new(-5, 1), "0000000000000000000000000001");
    }

    #[test]
    fn ids_are_letters_and_digits_of_a_bounded_length() {
        assert!(is_id("0abcXYZ9"));
        assert!(is_id(&"a".repeat(64)));
        for bad in ["", "a-b", "a.b", "a b", "../x", "é", &"a".repeat(65)] {
            assert!(!is_id(bad), "{bad:?}");
        }
    }
}
