//! Test and bench routes, compiled only with the `diagnostics` feature
//! (`make build` for the integration tests, `make bench`), never in the
//! deployed build (`make size` checks the wasm).

use super::ports::{BodyError, InquiryQueue, Kv, KvList, PortError};
use super::{App, AppError, Incoming, Platform, Reply};
use crate::form::QueuedInquiry;
use crate::http::{cache, types};
use crate::keys;
use crate::routes::Diag;
use std::cell::RefCell;
use std::collections::HashMap;

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
            app.platform.queue().send(&inquiry).await?;
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

/// With `BENCH_ROUTES = "1"`: an `X-KV-Ops` header with this request's KV
/// calls, on answers that made any.
pub fn count_kv_ops<P: Platform>(app: &App<'_, P>, reply: Reply) -> Reply {
    let ops = app.store.ops();
    if ops > 0 && app.settings.switches.bench {
        reply
            .header("X-KV-Ops", &ops.to_string())
            .header("X-KV-Lists", &app.store.lists().to_string())
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
    let target = BenchRequest {
        url: format!("{origin}{path}"),
    };
    let kv = MemoKv {
        inner: app.platform.kv(),
        values: Default::default(),
        lists: Default::default(),
    };
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
        let platform = MemoPlatform {
            inner: app.platform,
            kv: &kv,
            cache,
        };
        let app = App::new(&platform, app.settings);
        // Boxed: this route answers through the pipeline that called it.
        let response = Box::pin(app.handle(&target)).await;
        status = response.status;
        bytes += response.body.map_or(0, |b| b.len());
    }
    Ok(Reply::new(200, types::TEXT, format!("{status} {}\n", bytes / n)).cache(cache::NO_STORE))
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

/// KV read through once, then from memory.
struct MemoKv<'a, K: Kv> {
    inner: &'a K,
    values: RefCell<HashMap<String, Option<Vec<u8>>>>,
    lists: RefCell<HashMap<String, KvList>>,
}

impl<K: Kv> Kv for MemoKv<'_, K> {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError> {
        if let Some(v) = self.values.borrow().get(key) {
            return Ok(v.clone());
        }
        let v = self.inner.get(key).await?;
        self.values.borrow_mut().insert(key.to_string(), v.clone());
        Ok(v)
    }

    async fn get_many(&self, keys: &[String]) -> Result<HashMap<String, String>, PortError> {
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !self.values.borrow().contains_key(*k))
            .cloned()
            .collect();
        if !missing.is_empty() {
            let got = self.inner.get_many(&missing).await?;
            let mut values = self.values.borrow_mut();
            for k in missing {
                let v = got.get(&k).map(|t| t.clone().into_bytes());
                values.insert(k, v);
            }
        }
        let values = self.values.borrow();
        Ok(keys
            .iter()
            .filter_map(|k| {
                let v = values.get(k)?.as_ref()?;
                Some((k.clone(), String::from_utf8_lossy(v).into_owned()))
            })
            .collect())
    }

    async fn list(
        &self,
        prefix: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<KvList, PortError> {
        let key = format!("{prefix}\u{0}{limit}\u{0}{}", cursor.unwrap_or(""));
        if let Some(l) = self.lists.borrow().get(&key) {
            return Ok(l.clone());
        }
        let l = self.inner.list(prefix, limit, cursor).await?;
        self.lists.borrow_mut().insert(key, l.clone());
        Ok(l)
    }

    async fn put(
        &self,
        key: &str,
        value: &[u8],
        ttl: Option<u64>,
        metadata: Option<&serde_json::Value>,
    ) -> Result<(), PortError> {
        self.inner.put(key, value, ttl, metadata).await
    }

    async fn delete(&self, key: &str) -> Result<(), PortError> {
        self.inner.delete(key).await
    }
}

/// The platform with KV read once and a cache of the bench's choosing.
struct MemoPlatform<'a, P: Platform> {
    inner: &'a P,
    kv: &'a MemoKv<'a, P::Kv>,
    cache: &'a super::cache::Cache,
}

impl<'a, P: Platform> Platform for MemoPlatform<'a, P> {
    type Kv = MemoKv<'a, P::Kv>;
    type Queue = P::Queue;
    type Mailer = P::Mailer;
    type Limiter = P::Limiter;
    type Http = P::Http;

    fn kv(&self) -> &Self::Kv {
        self.kv
    }
    fn queue(&self) -> &Self::Queue {
        self.inner.queue()
    }
    fn mailer(&self) -> &Self::Mailer {
        self.inner.mailer()
    }
    fn limiter(&self) -> &Self::Limiter {
        self.inner.limiter()
    }
    fn http(&self) -> &Self::Http {
        self.inner.http()
    }
    fn cache(&self) -> &super::cache::Cache {
        self.cache
    }
    fn now_millis(&self) -> i64 {
        self.inner.now_millis()
    }
    fn random_u64(&self) -> Result<u64, PortError> {
        self.inner.random_u64()
    }
    fn log(&self, level: super::Level, line: &str) {
        self.inner.log(level, line)
    }
}
