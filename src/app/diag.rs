//! Test and bench routes, compiled only with the `diagnostics` feature
//! (`make build` for the integration tests, `make bench`), never in the
//! deployed build (`make size` checks the wasm).

use super::ports::BodyError;
use super::{App, AppError, Incoming, Platform, Reply};
use crate::form::QueuedInquiry;
use crate::http::{cache, types};
use crate::keys;
use crate::routes::Diag;

/// A 10 KB alert, for the render benchmark.
pub const BENCH_ALERT: &str = include_str!("../../bench/alert-10k.md");

pub async fn answer<P: Platform>(
    app: &App<'_, P>,
    route: Diag<'_>,
    req: &impl Incoming,
) -> Result<Reply, AppError> {
    match route {
        Diag::TestPanic => {
            // After an await, so that the trap happens in a Promise callback.
            app.store.get_bytes(keys::CONTACTS_KEY).await?;
            panic!("test panic route")
        }
        Diag::TestPanicNow => panic!("test panic route (sync)"),
        Diag::TestPanicAfterList => {
            app.store
                .keys(keys::ALERT_PREFIX, 1, &super::store::Cursor::First)
                .await?;
            panic!("test panic route (after a list)")
        }
        Diag::TestOutOfMemory => {
            // Blocks of 64 MiB, never touched (memory.grow reserves them),
            // until the allocator is refused: the alloc error handler aborts.
            let layout = std::alloc::Layout::from_size_align(64 << 20, 8).expect("a layout");
            let mut blocks = Vec::new();
            loop {
                // SAFETY: a non-zero size; the blocks are only counted.
                let block = unsafe { std::alloc::alloc(layout) };
                if block.is_null() {
                    std::alloc::handle_alloc_error(layout);
                }
                blocks.push(block);
            }
        }
        Diag::TestEnqueue => {
            // Puts the posted inquiry on the queue as it is, so that tests
            // can deliver the same id twice.
            let body = req
                .body(crate::form::MAX_BODY_BYTES)
                .await
                .map_err(|e| match e {
                    BodyError::TooLarge => AppError::PayloadTooLarge,
                    BodyError::Unreadable(_) => {
                        AppError::BadRequest("The request body could not be read.".into())
                    }
                })?;
            let inquiry: QueuedInquiry = serde_json::from_slice(&body)
                .map_err(|_| AppError::BadRequest("expected a queued inquiry as JSON".into()))?;
            app.platform.send_inquiry(&inquiry).await?;
            Ok(Reply::json(202, &serde_json::json!({ "id": inquiry.id })).cache(cache::NO_STORE))
        }
        Diag::BenchFloor => Ok(Reply::new(200, types::TEXT, "ok\n").without_validator()),
        Diag::BenchRender => {
            // `?n=` renders the alert n times (at most 1,000) in one request,
            // so that the per-request cost can be divided out.
            let n = crate::http::query_pairs(req.url())
                .into_iter()
                .find(|(k, _)| k == "n")
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 1000);
            let bytes: usize = (0..n)
                .map(|_| crate::markdown::render(BENCH_ALERT).html.len())
                .sum();
            Ok(Reply::new(200, types::TEXT, format!("{}\n", bytes / n)).cache(cache::NO_STORE))
        }
        Diag::BenchMemory => {
            #[cfg(target_arch = "wasm32")]
            let bytes = core::arch::wasm32::memory_size(0) * 65536;
            #[cfg(not(target_arch = "wasm32"))]
            let bytes = 0usize;
            Ok(Reply::new(200, types::TEXT, format!("{bytes}\n")).cache(cache::NO_STORE))
        }
        Diag::BenchOwn => own_work(app, req).await,
        Diag::BenchKv(slug) => {
            let bytes = app.store.get_bytes(&keys::alert(slug)).await?;
            let size = bytes.map_or(0, |b| b.len());
            Ok(Reply::new(200, types::TEXT, format!("{size}\n")).cache(cache::NO_STORE))
        }
    }
}

/// With `BENCH_ROUTES = "1"`: `X-KV-Ops`, `X-KV-Lists`, `X-KV-Keys` and
/// `X-KV-Version` headers with this request's KV calls, its `list()`
/// calls, the keys it read (each key of a bulk read billed as a read) and
/// of those the site's version, on answers that made any.
pub fn count_kv_ops<P: Platform>(app: &App<'_, P>, reply: Reply) -> Reply {
    let ops = app.store.ops();
    if ops > 0 && app.settings.switches.bench {
        reply
            .header("X-KV-Ops", &ops.to_string())
            .header("X-KV-Lists", &app.store.lists().to_string())
            .header("X-KV-Keys", &app.store.keys_read().to_string())
            .header("X-KV-Version", &app.store.version_reads().to_string())
    } else {
        reply
    }
}

/// `/__bench/own?path=&n=&cold=`: answers `path` (a GET) `n` times (at most
/// 1,000) in one request. KV is read on the first answer and served from
/// memory after, so the request's CPU divided by `n` is the route's own
/// work (parsing, ranking, rendering), without the local KV emulator's,
/// which runs in the same process and which Cloudflare does not bill to
/// the Worker. `cold=1` gives each answer an empty isolate cache.
async fn own_work<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    let pairs = crate::http::query_pairs(req.url());
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let path = param("path")
        .filter(|p| p.starts_with('/') && !p.starts_with("/__"))
        .ok_or_else(|| AppError::BadRequest("?path= is a site path".into()))?;
    let n = param("n")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1000);
    let cold = param("cold").as_deref() == Some("1");
    let origin = req.url().split("/__bench").next().unwrap_or("");
    if let Some(after) = param("after").filter(|p| p.starts_with('/') && !p.starts_with("/__")) {
        return keys_after(app, origin, &after, &path).await;
    }
    let target = BenchRequest {
        url: format!("{origin}{path}"),
    };
    let memo = std::rc::Rc::new(super::store::Memo::default());
    let warm = super::cache::Cache::default();
    let mut bytes = 0;
    let mut status = 0;
    for _ in 0..n {
        let fresh;
        let cache = if cold {
            fresh = super::cache::Cache::default();
            &fresh
        } else {
            &warm
        };
        let mut app = App::with_cache(app.platform, app.settings, cache);
        app.store.memo = Some(memo.clone());
        // Boxed: this route answers through the pipeline that called it.
        let response = Box::pin(app.handle(&target)).await;
        status = response.status;
        bytes += response.body.map_or(0, |b| b.len());
    }
    Ok(Reply::new(200, types::TEXT, format!("{status} {}\n", bytes / n)).cache(cache::NO_STORE))
}

/// `/__bench/own?after=&path=`: the keys `path` reads in an isolate that
/// has just answered `after` (another URL of the same route) and nothing
/// else: the keys that are the URL's own, not shared with the route's other
/// URLs (the search meta, `site:months`), which the capacity model counts
/// once per location rather than per URL or query.
async fn keys_after<P: Platform>(
    app: &App<'_, P>,
    origin: &str,
    after: &str,
    path: &str,
) -> Result<Reply, AppError> {
    let cache = super::cache::Cache::default();
    let mut status = 0;
    let mut keys = 0;
    for p in [after, path] {
        let target = BenchRequest {
            url: format!("{origin}{p}"),
        };
        let app = App::with_cache(app.platform, app.settings, &cache);
        // Boxed: this route answers through the pipeline that called it.
        status = Box::pin(app.handle(&target)).await.status;
        keys = app.store.keys_read();
    }
    Ok(Reply::new(200, types::TEXT, format!("{status} {keys}\n")).cache(cache::NO_STORE))
}

struct BenchRequest {
    url: String,
}

impl Incoming for BenchRequest {
    fn method(&self) -> crate::routes::Method {
        crate::routes::Method::Get
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn header(&self, _: &str) -> Option<String> {
        None
    }
    async fn body(&self, _: usize) -> Result<Vec<u8>, BodyError> {
        Ok(Vec::new())
    }
}
