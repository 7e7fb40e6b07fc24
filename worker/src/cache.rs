//! What an isolate keeps between requests: sites' configurations and knowledge-base indexes,
//! each trusted for [`CACHE_MS`] before the source is asked again, so typing in the search box
//! costs no round trip per keystroke and a change is served within seconds without a redeploy.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use tabdesk_core::kb::Index;
use tabdesk_core::site::{is_site_id, Site};
use worker::kv::KvStore;
use worker::Env;

use crate::http::ApiError;
use crate::platform::now_ms;
use crate::store;

/// How long an isolate trusts what it read of a site (config) or its index before looking again.
pub const CACHE_MS: u64 = 5_000;

/// An index in the isolate: its version, and when the KV pointer was last checked.
struct CachedIndex {
    version: String,
    index: Rc<Index>,
    checked: u64,
}

thread_local! {
    static SITES: RefCell<HashMap<String, (u64, Rc<Site>)>> = RefCell::new(HashMap::new());
    static INDEXES: RefCell<HashMap<String, CachedIndex>> = RefCell::new(HashMap::new());
}

/// The site `id` as read in the last few seconds, or 404. Shared, not copied: a site's form
/// schema is not cloned per keystroke.
pub async fn site(env: &Env, id: &str) -> Result<Rc<Site>, ApiError> {
    let now = now_ms();
    let fresh =
        SITES.with(|c| c.borrow().get(id).filter(|(at, _)| now.saturating_sub(*at) < CACHE_MS).map(|(_, s)| s.clone()));
    if let Some(site) = fresh {
        return Ok(site);
    }
    let site = Rc::new(load_site(env, id).await?);
    SITES.with(|c| c.borrow_mut().insert(id.to_owned(), (now, site.clone())));
    Ok(site)
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

/// The site's current index: from the isolate while fresh, else the KV pointer is read and,
/// when it moved, the new blob loaded. A site that never published has an empty index.
pub async fn index(env: &Env, site: &str) -> Result<Rc<Index>, ApiError> {
    let now = now_ms();
    let cached = INDEXES.with(|c| {
        c.borrow().get(site).map(|e| (e.version.clone(), e.index.clone(), now.saturating_sub(e.checked) < CACHE_MS))
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
            remember_index(site, &version, Rc::new(index))
        }
    };
    INDEXES.with(|c| {
        if let Some(e) = c.borrow_mut().get_mut(site) {
            e.checked = now;
        }
    });
    Ok(index)
}

/// Keeps `index` as the site's current one (after a publish, or once loaded).
pub fn remember_index(site: &str, version: &str, index: Rc<Index>) -> Rc<Index> {
    let entry = CachedIndex { version: version.to_owned(), index: index.clone(), checked: now_ms() };
    INDEXES.with(|c| c.borrow_mut().insert(site.to_owned(), entry));
    index
}
