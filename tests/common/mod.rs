//! The integration-test harness: runs the real Worker (`build/`) under
//! `wrangler dev` (workerd) with throw-away local state, seeds it through
//! `wrangler kv` (the publishing tool), drives it over HTTP and stops it,
//! process group and all, when the `Worker` is dropped. Each Worker has its
//! own local Amazon SES (`dev/ses-local.cjs`, npm `aws-ses-v2-local`) for
//! its bulk mail, stopped with it.
#![allow(dead_code)]

#[path = "../support/mod.rs"]
pub mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn wrangler() -> PathBuf {
    root().join("node_modules/.bin/wrangler")
}

/// The publishing tool (`make test` builds it first).
pub fn alerts_bin() -> PathBuf {
    std::env::var_os("ALERTS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/debug/alerts"))
}

/// A running `wrangler dev` with its own state directory.
pub struct Worker {
    child: Child,
    pub port: u16,
    state: Option<tempfile::TempDir>,
    state_path: PathBuf,
    log: Arc<Mutex<String>>,
    /// The local SES the Worker sends bulk mail to.
    ses: Child,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Worker {
    /// Starts the Worker with `vars` (on top of the test defaults) and waits
    /// until `/healthz` answers.
    pub fn start(vars: &[(&str, &str)]) -> Worker {
        Worker::start_with_state(vars, tempfile::tempdir().expect("temp dir"))
    }

    /// Starts the Worker on a fresh state whose D1 database has
    /// `migrations/` applied, as `make dev` does.
    pub fn start_with_d1(vars: &[(&str, &str)]) -> Worker {
        let state = tempfile::tempdir().expect("temp dir");
        let out = Command::new(wrangler())
            .current_dir(root())
            .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
            .arg(state.path())
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CI", "1")
            .output()
            .expect("wrangler d1 runs");
        assert!(
            out.status.success(),
            "wrangler d1 migrations apply failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Worker::start_with_state(vars, state)
    }

    /// Fires a Cron Trigger (`wrangler dev --test-scheduled`).
    pub fn scheduled(&self, cron: &str) {
        let path = format!("/cdn-cgi/handler/scheduled?cron={}", cron.replace(' ', "+"));
        let r = self.get(&path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }

    /// Starts the Worker on an existing state directory (a restart).
    pub fn start_with_state(vars: &[(&str, &str)], state: tempfile::TempDir) -> Worker {
        let shim = root().join("build/entry.mjs");
        assert!(
            shim.exists(),
            "{} is missing: run `make test` (it builds the Worker first)",
            shim.display()
        );
        let port = free_port();
        let ses_port = free_port();
        let ses = Command::new("node")
            .current_dir(root())
            .arg("dev/ses-local.cjs")
            .args(["--host", "127.0.0.1", "--port", &ses_port.to_string()])
            .env("SES_LOCAL_DIR", state.path().join("ses"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the local SES starts");
        let ses_endpoint = format!("http://127.0.0.1:{ses_port}");
        let mut all: BTreeMap<&str, &str> = BTreeMap::from([
            ("TEST_ROUTES", "1"),
            ("RATE_LIMIT_DISABLED", "1"),
            ("RETRY_DELAY_SECONDS", "0"),
        ]);
        all.extend(support::TEST_VARS);
        all.insert("SES_ENDPOINT", Box::leak(ses_endpoint.into_boxed_str()));
        all.extend(vars.iter().copied());
        let site = format!("http://127.0.0.1:{port}");
        all.entry("SITE_URL")
            .or_insert(Box::leak(site.into_boxed_str()));
        let mut cmd = Command::new(wrangler());
        cmd.current_dir(root())
            .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .args(["--inspector-port", &free_port().to_string()])
            .arg("--persist-to")
            .arg(state.path())
            .args(["--show-interactive-dev-session=false", "--log-level", "log"])
            // The Cron Triggers answer /cdn-cgi/handler/scheduled (`scheduled`).
            .arg("--test-scheduled");
        for (k, v) in &all {
            cmd.arg("--var").arg(format!("{k}:{v}"));
        }
        cmd.env("WRANGLER_SEND_METRICS", "false")
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn().expect("wrangler dev starts");
        let log = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut l = log.lock().unwrap();
                    l.push_str(&line);
                    l.push('\n');
                }
            });
        }
        let state_path = state.path().to_path_buf();
        let worker = Worker {
            child,
            port,
            state: Some(state),
            state_path,
            log,
            ses,
        };
        worker.wait_ready();
        worker
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            if let Ok(r) = self.try_request("GET", "/healthz", &[], b"") {
                // 503: running, with a setting missing (a test may want that).
                if r.status == 200 || (r.status == 503 && r.body.contains("problems")) {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!(
            "wrangler dev did not answer /healthz within 90 s:\n{}",
            self.log()
        );
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log contains `needle` `count` times.
    pub fn wait_for_log(&self, needle: &str, count: usize, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let log = self.log();
            if log.matches(needle).count() >= count {
                return log;
            }
            if Instant::now() > deadline {
                panic!("log never showed {needle:?} {count} times:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Runs the publishing tool against this Worker's store.
    pub fn alerts(&self, args: &[&str]) -> String {
        let out = Command::new(alerts_bin())
            .current_dir(root())
            .args(args)
            .arg("--persist-to")
            .arg(&self.state_path)
            .env("WRANGLER", wrangler())
            .env("WRANGLER_SEND_METRICS", "false")
            .env("PREVIEW_SECRET", "test-preview-secret")
            .output()
            .expect("the publishing tool runs (make test builds it)");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "alerts {args:?} failed:\n{text}");
        text
    }

    /// Publishes a content folder into this Worker's store.
    pub fn publish(&self, content: &Path, prune: bool) -> String {
        let dir = content.to_string_lossy().to_string();
        let mut args = vec!["publish", "--content", &dir];
        if prune {
            args.push("--prune");
        }
        self.alerts(&args)
    }

    /// Runs `wrangler kv <args> --binding ALERTS --local --persist-to <state>`.
    pub fn kv(&self, args: &[&str]) -> String {
        let out = Command::new(wrangler())
            .current_dir(root())
            .arg("kv")
            .args(args)
            .args(["--binding", "ALERTS", "--local", "--persist-to"])
            .arg(&self.state_path)
            .env("WRANGLER_SEND_METRICS", "false")
            .output()
            .expect("wrangler kv runs");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "wrangler kv {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    }

    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Resp> {
        self.try_request_within(method, path, headers, body, Duration::from_secs(30))
    }

    /// A request whose answer must start within `timeout`.
    pub fn try_request_within(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        timeout: Duration,
    ) -> std::io::Result<Resp> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(timeout))?;
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes())?;
        s.write_all(body)?;
        // Read by the response's own framing: the runtime keeps the
        // connection open for seconds after `Connection: close`.
        let mut raw = Vec::new();
        let mut buf = [0u8; 16384];
        loop {
            let n = s.read(&mut buf)?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
            if Resp::complete(&raw, method == "HEAD") {
                break;
            }
        }
        Ok(Resp::parse(&raw, method == "HEAD"))
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log()))
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], b"")
    }
}

impl Worker {
    /// Stops the Worker and hands back its state for a restart.
    pub fn stop(mut self) -> tempfile::TempDir {
        self.kill();
        self.state.take().expect("state")
    }

    /// Every email sent (path, whole message), oldest first: those the
    /// local send_email binding wrote (transactional) and those the local
    /// SES was given (bulk).
    pub fn emails(&self) -> Vec<(String, String)> {
        let mut paths: Vec<PathBuf> = self.transactional_paths();
        paths.extend(self.bulk_paths());
        let mut out: Vec<(std::time::SystemTime, String, String)> = paths
            .into_iter()
            .filter_map(|p| {
                let written = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                Some((written, p.display().to_string(), text))
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, p, t)| (p, t)).collect()
    }

    /// The messages the local send_email binding wrote.
    fn transactional_paths(&self) -> Vec<PathBuf> {
        let log = self.log();
        let mut out = Vec::new();
        let mut lines = log.lines();
        while let Some(line) = lines.next() {
            if line.contains("send_email binding called with the following message") {
                if let Some(path) = lines.next().map(str::trim) {
                    out.push(PathBuf::from(path));
                }
            }
        }
        out
    }

    /// The raw messages the local SES was given.
    pub fn bulk_paths(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(self.state_path.join("ses"))
            .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default();
        out.sort();
        out
    }

    /// Waits until at least `count` emails were written.
    pub fn wait_for_emails(&self, count: usize, timeout: Duration) -> Vec<(String, String)> {
        let deadline = Instant::now() + timeout;
        loop {
            let e = self.emails();
            if e.len() >= count {
                return e;
            }
            if Instant::now() > deadline {
                panic!("expected {count} emails, got {}:\n{}", e.len(), self.log());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn kill(&mut self) {
        let _ = self.ses.kill();
        let _ = self.ses.wait();
        let pgid = self.child.id() as i32;
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{pgid}")])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    fn parse(raw: &[u8], head: bool) -> Resp {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(raw.len());
        let head_text = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head_text.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw.get(split + 4..).unwrap_or(&[]).to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        if chunked && !head {
            body = dechunk(&body);
        }
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&body).to_string(),
        }
    }

    /// Whether `raw` holds a whole response (headers plus the body its
    /// Content-Length or chunked framing announces).
    fn complete(raw: &[u8], head: bool) -> bool {
        let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            return false;
        };
        let r = Resp::parse(&raw[..split + 4], true);
        let body = &raw[split + 4..];
        if head || r.status == 304 || r.status == 204 || (100..200).contains(&r.status) {
            return true;
        }
        if let Some(len) = r
            .header("content-length")
            .and_then(|l| l.parse::<usize>().ok())
        {
            return body.len() >= len;
        }
        if r.header("transfer-encoding")
            .is_some_and(|t| t.contains("chunked"))
        {
            return body.ends_with(b"0\r\n\r\n");
        }
        false
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

/// Runs named scenarios in order against one Worker, reports each, and
/// fails with the list of failures (the Worker is stopped either way).
pub type Scenario<C> = (&'static str, fn(&C));

pub fn scenarios<C>(ctx: &C, list: &[Scenario<C>]) {
    let mut failed = Vec::new();
    for (name, f) in list {
        let started = Instant::now();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(ctx))) {
            Ok(()) => eprintln!(
                "scenario {name} ... ok ({:.1}s)",
                started.elapsed().as_secs_f64()
            ),
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                eprintln!("scenario {name} ... FAILED: {msg}");
                failed.push(*name);
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} scenarios failed: {failed:?}",
        failed.len(),
        list.len()
    );
}

/// A copy of `content/` in a temp folder that a test may change.
pub fn content_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("content"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// One request a stand-in was sent: its path (with the query) and body.
pub type Asked = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// The headers of each request a stand-in was sent (names lower-cased),
/// in the order of its `Asked`.
pub type Headers = Arc<Mutex<Vec<Vec<(String, String)>>>>;

/// A local HTTP stand-in for an outside service (SNS, a WebSub hub,
/// Turnstile's siteverify) on a free port: `answer` gives each request's
/// status and body from its path and body. Its origin, and every request
/// it was sent, in order.
pub fn stand_in(answer: impl Fn(&str, &[u8]) -> (u16, String) + Send + 'static) -> (String, Asked) {
    let (origin, asked, _) = stand_in_with_headers(answer);
    (origin, asked)
}

/// The same, keeping each request's headers too (a webhook's signature).
pub fn stand_in_with_headers(
    answer: impl Fn(&str, &[u8]) -> (u16, String) + Send + 'static,
) -> (String, Asked, Headers) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let asked: Asked = Arc::new(Mutex::new(Vec::new()));
    let headers: Headers = Arc::new(Mutex::new(Vec::new()));
    let (kept, kept_headers) = (asked.clone(), headers.clone());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut length = 0;
            let mut heard = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    heard.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let path = first.split(' ').nth(1).unwrap_or("").to_string();
            let (status, text) = answer(&path, &body);
            kept_headers.lock().unwrap().push(heard);
            kept.lock().unwrap().push((path, body));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} Answered\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (origin, asked, headers)
}

impl Worker {
    /// Asks `/subscribe` (form-encoded) for `email` with this choice
    /// (`scope=all`, ...): the usual answer, 303 to `/subscribe/check`.
    pub fn ask_to_subscribe(&self, email: &str, choice: &str) {
        let body = format!("email={}&consent=yes&{choice}", email.replace('@', "%40"));
        let r = self.request(
            "POST",
            "/subscribe",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("CF-Connecting-IP", "192.0.2.7"),
            ],
            body.as_bytes(),
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.header("location"), Some("/subscribe/check"));
    }
}
