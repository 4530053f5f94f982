//! `alerts watch --crons <site>` (what `make dev` runs): `wrangler dev`
//! runs no Cron Trigger by itself, so the watcher fires the Worker's two
//! (wrangler.toml `[triggers]`) through `--test-scheduled`'s
//! `/cdn-cgi/handler/scheduled` when their minute comes, as Cloudflare
//! would: alerts go out by themselves under `make dev` too.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use std::io::{Read, Write};

/// The crons of `wrangler.toml` due in the minute of `t` (UTC).
pub fn due(t: DateTime<Utc>) -> Vec<&'static str> {
    let mut crons = vec!["* * * * *"];
    if t.weekday() == Weekday::Mon && t.hour() == 8 && t.minute() == 0 {
        crons.push(access_alerts::app::DIGEST_CRON);
    }
    crons
}

/// The path that fires `cron` under `wrangler dev --test-scheduled`.
pub fn path(cron: &str) -> String {
    format!("/cdn-cgi/handler/scheduled?cron={}", cron.replace(' ', "+"))
}

/// Why a cron could not be fired.
#[derive(Debug, thiserror::Error)]
pub enum FireError {
    #[error("--crons takes an http:// address")]
    NotHttp,
    #[error("{host}")]
    Io {
        host: String,
        #[source]
        source: std::io::Error,
    },
    #[error("no HTTP answer")]
    NoAnswer,
}

/// Fires `cron` on the local Worker at `base` (`http://127.0.0.1:8787`):
/// one plain HTTP/1.1 GET on loopback; the status line's code.
pub fn fire(base: &str, cron: &str) -> Result<u16, FireError> {
    let host = base
        .strip_prefix("http://")
        .ok_or(FireError::NotHttp)?
        .trim_end_matches('/');
    let io = |source| FireError::Io {
        host: host.to_string(),
        source,
    };
    let mut stream = std::net::TcpStream::connect(host).map_err(io)?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .map_err(io)?;
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        path(cron)
    )
    .map_err(io)?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(io)?;
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or(FireError::NoAnswer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_minute_and_the_digest_on_monday_at_eight() {
        let monday_eight = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 30).unwrap();
        assert_eq!(due(monday_eight), ["* * * * *", "0 8 * * 1"]);
        assert_eq!(
            due(monday_eight + chrono::Duration::minutes(1)),
            ["* * * * *"]
        );
        assert_eq!(due(monday_eight + chrono::Duration::days(1)), ["* * * * *"]);
        assert_eq!(
            path("0 8 * * 1"),
            "/cdn-cgi/handler/scheduled?cron=0+8+*+*+1"
        );
    }

    #[test]
    fn fires_through_a_plain_get() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            // The whole request head, however many reads it arrives in:
            // closing with part of it unread would reset the connection
            // before the client reads the answer (seen once in CI).
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = s.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                head.extend_from_slice(&buf[..n]);
            }
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .unwrap();
            String::from_utf8_lossy(&head).into_owned()
        });
        assert_eq!(fire(&format!("http://{addr}"), "* * * * *").unwrap(), 200);
        assert!(server
            .join()
            .unwrap()
            .starts_with("GET /cdn-cgi/handler/scheduled?cron=*+*+*+*+* HTTP/1.1\r\n"));
        assert!(matches!(
            fire("https://x", "* * * * *"),
            Err(FireError::NotHttp)
        ));
    }
}
