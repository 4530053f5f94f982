//! Email alerts for subscribers, the parts that are plain Rust: what a
//! reader may choose (`topics`), the subscribe form (`form`), signed links
//! (`token`), which alerts are due to go out (`notify`) and the messages
//! themselves (`message`), and AWS's request signing (`sigv4`). The handlers are in `crate::app::subscribe`
//! (readers) and `crate::app::mailing` (crons, queue, operator); the
//! subscribers live in D1 (`migrations/`).

pub mod form;
pub mod message;
pub mod notify;
pub mod sigv4;
pub mod token;
pub mod topics;
