//! The stylesheet and icon, compiled into the Worker; the stylesheet is
//! served under a name fingerprinted by its content.

/// The stylesheet, compiled into the Worker.
pub const STYLESHEET: &str = include_str!("../../assets/site.css");

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x100000001b3);
        i += 1;
    }
    hash
}

/// The site icon (`/favicon.svg`).
pub const FAVICON: &str = include_str!("../../assets/favicon.svg");

/// The stylesheet's content fingerprint, computed at compile time.
pub const STYLESHEET_HASH: u64 = fnv1a(STYLESHEET.as_bytes());

/// The file name the stylesheet is served under (`site.<hash>.css`).
pub fn stylesheet_file() -> String {
    format!("site.{:012x}.css", STYLESHEET_HASH & 0xffff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    #[test]
    fn stylesheet_name_is_fingerprinted() {
        let f = super::stylesheet_file();
        assert!(
            f.starts_with("site.") && f.ends_with(".css") && f.len() == 21,
            "{f}"
        );
    }
}
