//! What an isolate keeps between requests: sites' configurations and knowledge-base indexes,
//! each trusted for [`CACHE_MS`] before the source is asked again, so typing in the search box
//! costs no round trip per keystroke and a change is served within seconds without a redeploy.
//!
//! Both are bounded in bytes ([`ByteLru`]): least recently used sites leave first, and one
//! tenant's index larger than its share is used for its request but not kept, so it cannot
//! push everyone else out. Hit rates go to the log every [`STATS_EVERY`] lookups.

use std::cell::RefCell;
use std::rc::Rc;

use tabdesk_core::kb::learn::Boosts;
use tabdesk_core::kb::Index;
use tabdesk_core::lru::ByteLru;
use tabdesk_core::site::{is_site_id, Site};
use worker::kv::KvStore;
use worker::Env;

use crate::http::ApiError;
use crate::platform::now_ms;
use crate::store;
use crate::store::object::learned_key;

/// How long an isolate trusts what it read of a site (config) or its index before looking again.
pub const CACHE_MS: u64 = 5_000;

/// Byte budgets of an isolate's caches (an isolate has 128 MB in all): in all, and per entry.
const SITES_BUDGET: usize = 4 << 20;
const SITE_MAX: usize = 256 << 10;
const INDEXES_BUDGET: usize = 48 << 20;
const INDEX_MAX: usize = 24 << 20;
const LEARNED_BUDGET: usize = 4 << 20;
const LEARNED_MAX: usize = 1 << 20;
/// A loaded index takes about this many quarters of its blob's size in memory (postings and word
/// places unpacked, weights precomputed; measured with `cargo xtask bench search` at 10,000
/// articles: 9.9 MB blob, 21.5 MB heap).
const INDEX_MEMORY_QUARTERS: usize = 9;
/// Log the hit rates every this many lookups.
const STATS_EVERY: u64 = 1_000;

/// An index in the isolate: its version, and when the KV pointer was last checked.
struct CachedIndex {
    version: String,
    index: Rc<Index>,
    checked: u64,
}

thread_local! {
    static SITES: RefCell<ByteLru<(u64, Rc<Site>)>> = RefCell::new(ByteLru::new(SITES_BUDGET, SITE_MAX));
    static INDEXES: RefCell<ByteLru<CachedIndex>> = RefCell::new(ByteLru::new(INDEXES_BUDGET, INDEX_MAX));
    static LEARNED: RefCell<ByteLru<(u64, Rc<Boosts>)>> = RefCell::new(ByteLru::new(LEARNED_BUDGET, LEARNED_MAX));
}

/// Logs a cache's hit rate and size once every [`STATS_EVERY`] lookups.
fn log_stats<V>(name: &str, cache: &ByteLru<V>) {
    if (cache.hits + cache.misses).is_multiple_of(STATS_EVERY) {
        let (bytes, entries) = cache.size();
        worker::console_log!(
            "cache {name}: hit rate {:.3} over {} lookups; {entries} entries, {bytes} bytes",
            cache.hit_rate(),
            cache.hits + cache.misses
        );
    }
}

/// The site `id` as read in the last few seconds, or 404. Shared, not copied: a site's form
/// schema is not cloned per keystroke.
pub async fn site(env: &Env, id: &str) -> Result<Rc<Site>, ApiError> {
    let now = now_ms();
    let fresh = SITES.with(|c| {
        let mut cache = c.borrow_mut();
        let found = cache.get_mut(id).filter(|(at, _)| now.saturating_sub(*at) < CACHE_MS).map(|(_, s)| s.clone());
        log_stats("sites", &cache);
        found
    });
    if let Some(site) = fresh {
        return Ok(site);
    }
    let site = Rc::new(load_site(env, id).await?);
    // The configuration's JSON size stands for its size in memory.
    let bytes = serde_json::to_string(&site.config).map_or(SITE_MAX, |s| s.len() + id.len());
    SITES.with(|c| c.borrow_mut().insert(id, (now, site.clone()), bytes));
    Ok(site)
}

/// Makes this isolate read site `id` again on its next request (after its config changed here;
/// other isolates see the change within [`CACHE_MS`]).
pub fn forget_site(id: &str) {
    SITES.with(|c| {
        if let Some((at, _)) = c.borrow_mut().peek_mut(id) {
            *at = 0;
        }
    });
}

/// The site `id` from the directory, or 404. Ids that cannot exist are refused before any query.
pub async fn load_site(env: &Env, id: &str) -> Result<Site, ApiError> {
    let found = if is_site_id(id) { store::sites::find(&store::db(env)?, id).await? } else { None };
    found.ok_or_else(no_such_site)
}

pub fn no_such_site() -> ApiError {
    tabdesk_core::problem::not_found("No such site.").into()
}

pub fn kv(env: &Env) -> Result<KvStore, ApiError> {
    Ok(env.kv("KB")?)
}

pub fn kv_error(e: worker::kv::KvError) -> ApiError {
    ApiError::internal(format!("kv: {e}"))
}

/// The KV key of a site's current index version.
pub fn pointer_key(site: &str) -> String {
    format!("kb:{site}:current")
}

/// The KV key of one version of a site's index.
pub fn blob_key(site: &str, version: &str) -> String {
    format!("kb:{site}:{version}")
}

/// What the site's traffic taught its search, as its upkeep last stored it: from the isolate
/// while fresh. Search never waits on learning: no boosts when they cannot be read.
pub async fn learned(env: &Env, site: &str) -> Rc<Boosts> {
    let now = now_ms();
    let cached = LEARNED.with(|c| {
        c.borrow_mut().get_mut(site).map(|(checked, b)| (now.saturating_sub(*checked) < CACHE_MS, b.clone()))
    });
    if let Some((true, boosts)) = cached {
        return boosts;
    }
    let read = match kv(env) {
        Ok(store) => store.get(&learned_key(site)).bytes().await.map_err(kv_error),
        Err(e) => Err(e),
    };
    let (boosts, bytes) = match read {
        Ok(stored) => {
            let bytes = stored.as_ref().map_or(0, Vec::len);
            (Rc::new(stored.map(|b| Boosts::from_bytes(&b)).unwrap_or_default()), bytes)
        }
        Err(e) => {
            worker::console_warn!("learned boosts of {site} not read: {e:?}");
            return cached.map(|(_, b)| b).unwrap_or_default();
        }
    };
    LEARNED.with(|c| c.borrow_mut().insert(site, (now, boosts.clone()), bytes));
    boosts
}

/// The site's current index: from the isolate while fresh, else the KV pointer is read and,
/// when it moved, the new blob loaded. A site that never published has an empty index.
pub async fn index(env: &Env, site: &str) -> Result<Rc<Index>, ApiError> {
    let now = now_ms();
    let cached = INDEXES.with(|c| {
        let mut cache = c.borrow_mut();
        let found =
            cache.get_mut(site).map(|e| (e.version.clone(), e.index.clone(), now.saturating_sub(e.checked) < CACHE_MS));
        log_stats("indexes", &cache);
        found
    });
    if let Some((_, index, true)) = &cached {
        return Ok(index.clone());
    }
    let store = kv(env)?;
    let current = store.get(&pointer_key(site)).text().await.map_err(kv_error)?;
    let index = match (current, cached) {
        (None, _) => Rc::new(Index::build(&[])),
        (Some(version), Some((cached_version, index, _))) if version == cached_version => index,
        (Some(version), _) => {
            let bytes = store
                .get(&blob_key(site, &version))
                .bytes()
                .await
                .map_err(kv_error)?
                .ok_or_else(|| ApiError::internal(format!("index blob {version} of {site} is missing")))?;
            let index = Index::from_bytes(&bytes).map_err(|e| ApiError::internal(format!("index {version}: {e}")))?;
            remember_index(site, &version, Rc::new(index), bytes.len())
        }
    };
    INDEXES.with(|c| {
        if let Some(e) = c.borrow_mut().peek_mut(site) {
            e.checked = now;
        }
    });
    Ok(index)
}

/// Keeps `index` (its blob was `blob_bytes` long) as the site's current one, after a publish or
/// once loaded, if it fits its share.
pub fn remember_index(site: &str, version: &str, index: Rc<Index>, blob_bytes: usize) -> Rc<Index> {
    let entry = CachedIndex { version: version.to_owned(), index: index.clone(), checked: now_ms() };
    let bytes = blob_bytes.saturating_mul(INDEX_MEMORY_QUARTERS) / 4;
    if !INDEXES.with(|c| c.borrow_mut().insert(site, entry, bytes)) {
        worker::console_warn!("index {version} of {site} ({bytes} bytes in memory) is over its share: not kept");
    }
    index
}
