//! What only the runtime shows: a trap (a panic, running out of memory) in
//! the wasm, and many requests in flight in one isolate when it happens.
//! The built Worker under `wrangler dev`, with its test routes on. (The
//! streamed body cap is tested without wrangler dev's proxy:
//! tests/runtime_js.rs.)

mod common;

use common::{content_copy, Worker};
use std::time::{Duration, Instant};

const SEED: &str = "/alerts/oewg-collective-call-against-barring-organisations";

fn starts(w: &Worker) -> usize {
    w.log().matches("wasm instance started").count()
}

/// Each kind of trap is followed by a 200 from a fresh instance.
fn every_trap_resets_the_instance(w: &Worker) {
    for path in [
        "/__test/panic-now",
        "/__test/panic",
        "/__test/panic-after-list",
        "/__test/out-of-memory",
    ] {
        let before = starts(w);
        let r = w.get(path);
        assert!(r.status >= 500, "{path}: {}", r.status);
        let next = w.get(SEED);
        assert_eq!(next.status, 200, "the request after {path}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while starts(w) <= before {
            assert!(
                Instant::now() < deadline,
                "no fresh instance after {path}:\n{}",
                w.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        for p in ["/", "/robots.txt", "/healthz"] {
            assert_eq!(w.get(p).status, 200, "{p} after {path}");
        }
    }
}

/// 64 requests at once (pages, listings, a synchronous route, contact
/// posts), one of them a trap after an await: none hangs, and every one
/// that did not share the trapped instance's fate is a 200.
fn a_trap_among_64_requests_in_flight_hangs_none(w: &Worker) {
    let contact =
        serde_json::json!({"name": "Ada", "email": "ada@example.net", "contact": "inquiries",
        "subject": "In flight", "message": "Sent while another request traps", "consent": true})
        .to_string();
    let batch = |with_trap: bool| -> Vec<(String, u16, Duration)> {
        let barrier = std::sync::Barrier::new(64);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..64)
                .map(|i| {
                    let (barrier, contact) = (&barrier, &contact);
                    scope.spawn(move || {
                        let (method, path, body): (&str, &str, &[u8]) = match i % 4 {
                            _ if with_trap && i == 32 => ("GET", "/__test/panic", b""),
                            0 => ("GET", SEED, b""),
                            1 => ("GET", "/category/opinion", b""),
                            2 => ("GET", "/robots.txt", b""),
                            _ => ("POST", "/contact", contact.as_bytes()),
                        };
                        let headers: &[(&str, &str)] = if method == "POST" {
                            &[("Content-Type", "application/json")]
                        } else {
                            &[]
                        };
                        barrier.wait();
                        let started = Instant::now();
                        let answer = w.try_request_within(
                            method,
                            path,
                            headers,
                            body,
                            Duration::from_secs(5),
                        );
                        let status = answer.as_ref().map(|r| r.status).unwrap_or(0);
                        (format!("{method} {path}"), status, started.elapsed())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    };
    let answers = batch(true);
    for (what, status, took) in &answers {
        assert!(
            *status != 0 && *took <= Duration::from_secs(5),
            "{what} hung ({status}, {took:?}):\n{}",
            w.log()
        );
        if what.contains("/__test/panic") {
            assert!(*status >= 500, "{what}: {status}");
        } else {
            assert!(
                [200, 202, 503].contains(status),
                "{what}: {status} (a 200 or 202, or the entry module's prompt 503 for a request that shared the trapped instance)"
            );
        }
    }
    let shared = answers
        .iter()
        .filter(|(w, s, _)| *s == 503 && !w.contains("/__test/"))
        .count();
    eprintln!("{shared} of 63 requests shared the trapped instance and were answered 503");
    let after = batch(false);
    for (what, status, _) in &after {
        assert!(
            [200, 202].contains(status),
            "the batch after the trap: {what} {status}"
        );
    }
}

#[test]
fn runtime() {
    let w = Worker::start(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    common::scenarios(
        &w,
        &[
            (
                "every_trap_resets_the_instance",
                every_trap_resets_the_instance,
            ),
            (
                "a_trap_among_64_requests_in_flight_hangs_none",
                a_trap_among_64_requests_in_flight_hangs_none,
            ),
        ],
    );
}
