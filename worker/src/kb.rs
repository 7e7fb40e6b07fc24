//! The knowledge base: search from the index cached in the isolate, articles, and publishing
//! (sanitized HTML in D1, the search index as a versioned blob in KV).

use std::rc::Rc;

use tabdesk_core::agents::Action;
use tabdesk_core::domain::ids::new_id;
use tabdesk_core::domain::limits::{DEFAULT_HITS, DEFAULT_SUGGESTED, MAX_HITS, MAX_KB_BODY_BYTES};
use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::page_strings;
use tabdesk_core::kb::publish::prepare;
use tabdesk_core::kb::Index;
use tabdesk_core::problem;
use tabdesk_core::text::escape_html;
use tabdesk_core::validate::{check_query, check_url, validate_publish};
use tabdesk_core::wire::{KbArticle, KbPublish, KbPublished, SearchResults};
use worker::{Context, Env, Request, Url};

use crate::abuse::{rate_limit, Limit};
use crate::cache::{blob_key, kv, kv_error, pointer_key};
use crate::events::record_later;
use crate::http::{header, json, limit_param, param, read_json_up_to, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::{auth, cache, embed, store};

fn locale_param(url: &Url) -> Option<Locale> {
    param(url, "locale").and_then(|l| Locale::from_tag(&l))
}

/// `GET /v1/sites/{site}/kb/search?q=&locale=&limit=`.
pub async fn search(env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let site = cache::site(env, site_id).await?;
    let query = param(url, "q").unwrap_or_default();
    if let Some(error) = check_query("q", &query) {
        return Err(problem::validation(vec![error]).into());
    }
    let limit = limit_param(url, DEFAULT_HITS, MAX_HITS)?;
    let index = cache::index(env, &site.id).await?;
    let boosts = cache::learned(env, &site.id).await;
    let locale = site.config.search_locale(locale_param(url), &query, |l| index.count(l) > 0);
    let started = js_sys::Date::now();
    let (hits, total) = index.search_learned(&query, Some(locale), limit, &boosts);
    // Workers' clocks stand still while code runs, so this reads 0 on Cloudflare.
    let took_us = ((js_sys::Date::now() - started) * 1000.0).max(0.0) as u64;
    json(200, &SearchResults { hits, total, took_us })
}

/// `GET /v1/sites/{site}/kb/suggested?locale=&page_url=&limit=`: what the widget's home screen
/// lists before anything is typed (core's `Index::suggested`): the articles the site chose for
/// the page, then the most helpful, then the rest.
pub async fn suggested(env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let site = cache::site(env, site_id).await?;
    let page_url = param(url, "page_url");
    if let Some(bad) = check_url("page_url", page_url.as_deref(), site.config.pick_locale(locale_param(url))) {
        return Err(problem::validation(vec![bad]).into());
    }
    let limit = limit_param(url, DEFAULT_SUGGESTED, MAX_HITS)?;
    let index = cache::index(env, &site.id).await?;
    let boosts = cache::learned(env, &site.id).await;
    let locale = site.config.search_locale(locale_param(url), "", |l| index.count(l) > 0);
    let featured = site.config.home.featured(page_url.as_deref());
    let hits = index.suggested(featured, boosts.popular(), locale, limit);
    json(200, &SearchResults { total: hits.len(), hits, took_us: 0 })
}

/// `GET /v1/sites/{site}/kb/articles/{id}?locale=`: in the asked language if it exists, else
/// the site's default, else any. Each read counts as an article view, recorded after the answer
/// (within the statistics rate limit).
pub async fn article(req: &Request, env: &Env, ctx: &Context, site_id: &str, id: &str, url: &Url) -> ApiResult {
    json(200, &read_article(req, env, ctx, site_id, id, url).await?)
}

/// Article `id` as the visitor asks for it, its read counted (see [`article`]).
async fn read_article(
    req: &Request,
    env: &Env,
    ctx: &Context,
    site_id: &str,
    id: &str,
    url: &Url,
) -> Result<KbArticle, ApiError> {
    let site = cache::site(env, site_id).await?;
    let preferred = [site.config.pick_locale(locale_param(url)), site.config.default_locale];
    let article = store::site::open(env, &site.id)?
        .article(id, preferred)
        .await?
        .ok_or_else(|| ApiError::from(problem::not_found("No such article.")))?;
    // Reading is never refused; a client over the statistics limit is just not counted.
    if rate_limit(env, req, &site, Limit::Events).await.is_ok() {
        record_later(env, ctx, &site.id, "article_view", Some(&article.id), None);
    }
    Ok(article)
}

/// `GET /kb/{site}/{id}?locale=`: the article as a page of its own, for links in agents'
/// replies. Its HTML was sanitised at publish time; the page runs no script at all.
pub async fn article_page(req: &Request, env: &Env, ctx: &Context, site_id: &str, id: &str, url: &Url) -> ApiResult {
    const POLICY: &str = "default-src 'none'; style-src 'self'; img-src https: data:; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'";
    match read_article(req, env, ctx, site_id, id, url).await {
        Ok(a) => {
            let body = format!(
                "<main class=\"article-view\"><h1>{}</h1><div class=\"article-body\">{}</div></main>",
                escape_html(&a.title),
                a.html
            );
            embed::html(embed::page(a.locale, &a.title, "", &body), 200, POLICY)
        }
        Err(ApiError::Problem(p)) if p.status == 404 => {
            let locale = locale_param(url).unwrap_or_default();
            let missing = page_strings(locale).article_missing;
            let body = format!("<main class=\"notice\"><h1>{}</h1></main>", escape_html(missing));
            embed::html(embed::page(locale, missing, "", &body), 404, POLICY)
        }
        Err(e) => Err(e),
    }
}

/// `PUT /v1/admin/sites/{site}/kb`: replaces the site's knowledge base. The new index is built
/// and stored under a new version before anything else changes; the articles are replaced in
/// one D1 batch, only if no other publish landed since this one began (compare and swap on the
/// version: 409 otherwise; `If-Match: <version>` makes a client's own check a 412); only then
/// does the pointer move. A publish that fails at any step leaves the working index served. The
/// blob of the version before the one replaced is deleted: two versions are kept, the current
/// and the one isolates may still be loading.
pub async fn publish(req: &mut Request, env: &Env, site_id: &str) -> ApiResult {
    let site = auth::site(req, &store::db(env)?, site_id, Action::PublishKb).await?.site;
    let site_store = store::site::open(env, &site.id)?;
    let kb: KbPublish = read_json_up_to(req, MAX_KB_BODY_BYTES).await?;
    let errors = validate_publish(&kb, &site.config.locales);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let base = site_store.kb_version().await?;
    if let Some(expected) = header(req, "If-Match") {
        if expected.trim().trim_matches('"') != base {
            return Err(problem::precondition_failed(format!(
                "The knowledge base is at version `{base}`, not the one given in If-Match."
            ))
            .into());
        }
    }
    let now = now_iso();
    let today: String = now.chars().take(10).collect();
    let (stored, indexed) = prepare(&kb, &site.id, site.config.default_locale, &today);
    let index = Index::build(&indexed);
    let bytes = index.to_bytes();
    let version = new_id(now_ms(), random()?);
    let blobs = kv(env)?;
    blobs.put_bytes(&blob_key(&site.id, &version), &bytes).map_err(kv_error)?.execute().await.map_err(kv_error)?;
    let articles = stored.len();
    if !site_store.replace_kb(stored, &base, &version, &now).await? {
        let _ = blobs.delete(&blob_key(&site.id, &version)).await;
        return Err(problem::conflict("Another publish landed while this one was prepared; publish again.").into());
    }
    blobs.put(&pointer_key(&site.id), version.as_str()).map_err(kv_error)?.execute().await.map_err(kv_error)?;
    // A later publish may have moved the pointer before this one did: the newest wins.
    let latest = site_store.kb_version().await?;
    if latest != version {
        blobs.put(&pointer_key(&site.id), latest.as_str()).map_err(kv_error)?.execute().await.map_err(kv_error)?;
    }
    cache::remember_index(&site.id, &version, Rc::new(index), bytes.len());
    if let Some(old) = site_store.kb_replaced_by(&base).await? {
        if let Err(e) = blobs.delete(&blob_key(&site.id, &old)).await {
            worker::console_warn!("old index {old} of {} not deleted: {e}", site.id);
        }
    }
    json(200, &KbPublished { version, articles, index_bytes: bytes.len() })
}
