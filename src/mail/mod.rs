//! Email alerts for subscribers, the parts that are plain Rust: what a
//! reader may choose (`topics`), the subscribe form (`form`), signed links
//! (`token`), which alerts are due to go out (`notify`), the messages
//! themselves (`message`), and sending them through Amazon SES: the signed
//! `SendEmail` call and what its answer means (`ses`), signed with AWS
//! Signature Version 4 (`sigv4`). The handlers are in
//! `crate::app::subscribe` (readers) and `crate::app::mailing` (crons,
//! queue, operator); the subscribers live in D1 (`migrations/`).

pub mod form;
pub mod message;
pub mod notify;
pub mod ses;
pub mod sigv4;
pub mod token;
pub mod topics;
