//! The operator's endpoints (`/operator/...`) are answered only to the
//! bearer of `OPERATOR_TOKEN`, and not at all (404) when it isn't set.

use super::ports::BodyError;
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

/// An operator's form post (`make test-email`, `make webhook-add`): small
/// and form-encoded.
pub struct OperatorForm(Vec<u8>);

/// The most bytes an operator's form may have.
const MAX_FORM: usize = 4096;

impl OperatorForm {
    /// The request authorized, then its body read.
    pub async fn read<P: Platform>(
        app: &App<'_, P>,
        req: &impl Incoming,
    ) -> Result<Self, AppError> {
        authorize(app, req)?;
        match req.body(MAX_FORM).await {
            Ok(body) => Ok(OperatorForm(body)),
            Err(BodyError::TooLarge) => Err(AppError::PayloadTooLarge),
            Err(BodyError::Unreadable(_)) => Err(AppError::BadRequest("unreadable body".into())),
        }
    }

    /// One field, trimmed; empty when it is missing.
    pub fn field(&self, name: &str) -> String {
        super::forms::field(&self.0, name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }
}
