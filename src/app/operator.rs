//! The operator's endpoints (`/operator/...`) are answered only to the
//! bearer of `OPERATOR_TOKEN`, and not at all (404) when it isn't set.

use super::{App, AppError, Incoming, Platform};

/// Whether the request carries the operator's token (compared in
/// constant time).
pub fn authorize<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<(), AppError> {
    let Some(token) = &app.settings.operator_token else {
        return Err(AppError::NotFound);
    };
    let given = req.header("Authorization").unwrap_or_default();
    if crate::sign::secrets_match(&given, &format!("Bearer {token}")) {
        Ok(())
    } else {
        Err(AppError::Unauthorized)
    }
}
