//! Query parameters that more than one handler reads: a listing's cursor
//! (a place in time for readers' listings, a KV cursor for the operator's
//! dead inquiries), a category or tag name (listings, search) and a
//! language (search, the test send).

use super::store::Cursor;
use super::{AppError, Query};
use crate::i18n::Lang;
use crate::keys;
use crate::listing::Position;

/// A listing's `cursor` query parameter: absent, or a place in the listing
/// (`<unix seconds>-<slug>`, `crate::listing::Position`). Anything else is
/// a 400.
pub fn position_param(query: &Query) -> Result<Option<Position>, AppError> {
    match query.get("cursor").map(String::as_str) {
        None | Some("") => Ok(None),
        Some(c) => Position::parse(c)
            .map(Some)
            .ok_or_else(|| AppError::BadRequest("The cursor is not valid.".into())),
    }
}

/// The `cursor` query parameter of an operator's listing: absent, or an
/// opaque KV cursor (base64 characters, at most 1,024). Anything else is a
/// 400.
pub fn cursor_param(query: &Query) -> Result<Cursor<'_>, AppError> {
    match query.get("cursor").map(String::as_str) {
        None | Some("") => Ok(Cursor::First),
        Some(c)
            if c.len() <= 1024
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=_-.".contains(&b)) =>
        {
            Ok(Cursor::Visitor(c))
        }
        Some(_) => Err(AppError::BadRequest("The cursor is not valid.".into())),
    }
}

/// A category or tag named in the query string, as its slug (none if
/// absent or empty; a 400 if too long to be one).
pub fn name_param(query: &Query, param: &str) -> Result<Option<String>, AppError> {
    let slug = query
        .get(param)
        .map(|n| keys::name_slug(n))
        .filter(|s| !s.is_empty());
    match slug {
        Some(s) if s.len() > keys::MAX_NAME_BYTES => {
            Err(AppError::BadRequest(format!("`{param}` is too long.")))
        }
        slug => Ok(slug),
    }
}

/// The 400 of a `lang` that is not a code of `Lang::ALL`, naming them (a
/// literal: joining them at run time cost bytes; a test checks the list).
const BAD_LANG: &str = "`lang` must be one of en, ar, zh, fr, ru, es.";

/// A `lang` parameter's value: a code of `Lang::ALL`, English when empty.
/// Anything else is a 400 naming the codes.
pub fn lang_value(value: &str) -> Result<Lang, AppError> {
    match value.trim() {
        "" => Ok(Lang::En),
        code => Lang::from_code(code).ok_or_else(|| AppError::BadRequest(BAD_LANG.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lang_is_a_code_of_every_language_and_the_refusal_names_them_all() {
        assert_eq!(lang_value(" ").unwrap(), Lang::En);
        assert_eq!(lang_value("zh").unwrap(), Lang::Zh);
        let codes = Lang::ALL.map(Lang::code).join(", ");
        assert_eq!(BAD_LANG, format!("`lang` must be one of {codes}."));
        assert!(matches!(lang_value("de"), Err(AppError::BadRequest(m)) if m == BAD_LANG));
    }
}
