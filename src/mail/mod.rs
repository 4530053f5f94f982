//! Email alerts for subscribers, the parts that are plain Rust: what a
//! reader may choose (`topics`), the subscribe form (`form`), signed links
//! (`token`), which alerts are due to go out (`notify`), the messages
//! themselves (`message`); sending them through Amazon SES: the signed
//! `SendEmail` call and what its answer means (`ses`), signed with AWS
//! Signature Version 4 (`sigv4`); and what comes back: bounces and
//! complaints (`events`, from Amazon SES or Cloudflare Email Service) and
//! the Amazon SNS messages that carry SES's (`sns`: reading, what is
//! signed, whose certificate, with `sns_hosts` checking the hosts it names
//! and `der` reading the certificate). The
//! handlers are in
//! `crate::app::subscribe` (readers) and `crate::app::mailing` (crons,
//! queue, operator); the subscribers live in D1 (`migrations/`).

mod der;
pub mod events;
pub mod form;
pub mod message;
pub mod notify;
pub mod ses;
pub mod sigv4;
pub mod sns;
mod sns_hosts;
pub mod token;
pub mod topics;
