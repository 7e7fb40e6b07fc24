//! The knowledge base: publishing (Markdown → sanitized HTML in D1, the search index as a
//! versioned blob in KV), search from the index cached in the isolate, articles, feedback and
//! the widget's deflection events.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::Deserialize;
use tabdesk_core::ids::new_id;
use tabdesk_core::kb::markdown::render;
use tabdesk_core::kb::{query_language, Article, Index};
use tabdesk_core::locale::Locale;
use tabdesk_core::problem;
use tabdesk_core::validate::{validate_publish, MAX_KB_BODY_BYTES};
use tabdesk_core::wire::{KbArticle, KbFeedback, KbPublish, KbPublished, SearchResults, WidgetEvent};
use worker::kv::KvStore;
use worker::{D1Database, Env, Request, Url};

use crate::abuse::check_origin;
use crate::http::{
    invalid_param, json, limit_param, nullable, param, read_json, read_json_up_to, to_json, ApiError, ApiResult,
};
use crate::platform::{now_iso, now_ms, random};
use crate::sites::{self, Site, CACHE_MS};

const DEFAULT_HITS: usize = 10;
const MAX_HITS: usize = 50;
const MAX_QUERY_CHARS: usize = 200;

/// An index in the isolate: its version, and when the KV pointer was last checked.
struct Cached {
    version: String,
    index: Rc<Index>,
    checked: u64,
}

thread_local! {
    static INDEXES: RefCell<HashMap<String, Cached>> = RefCell::new(HashMap::new());
}

fn kv(env: &Env) -> Result<KvStore, ApiError> {
    Ok(env.kv("KB")?)
}

fn pointer_key(site: &str) -> String {
    format!("kb:{site}:current")
}

fn blob_key(site: &str, version: &str) -> String {
    format!("kb:{site}:{version}")
}

fn kv_error(e: worker::kv::KvError) -> ApiError {
    ApiError::internal(format!("kv: {e}"))
}

/// The site's current index: from the isolate while fresh, else the KV pointer is read and,
/// when it moved, the new blob loaded. A site that never published has an empty index.
async fn index_for(env: &Env, site: &str) -> Result<Rc<Index>, ApiError> {
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
            remember(site, &version, Rc::new(index))
        }
    };
    INDEXES.with(|c| {
        if let Some(e) = c.borrow_mut().get_mut(site) {
            e.checked = now;
        }
    });
    Ok(index)
}

fn remember(site: &str, version: &str, index: Rc<Index>) -> Rc<Index> {
    let entry = Cached { version: version.to_owned(), index: index.clone(), checked: now_ms() };
    INDEXES.with(|c| c.borrow_mut().insert(site.to_owned(), entry));
    index
}

/// The language to search in: asked for, else the query's script, else the site's default;
/// a language without articles falls back to the default.
fn search_locale(site: &Site, index: &Index, asked: Option<Locale>, query: &str) -> Locale {
    let locale = site.config.pick_locale(asked.or_else(|| query_language(query)));
    if index.count(locale) == 0 {
        site.config.default_locale
    } else {
        locale
    }
}

/// `GET /v1/sites/{site}/kb/search?q=&locale=&limit=`.
pub async fn search(env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let site = sites::load_cached(&sites::db(env)?, site_id).await?;
    let query = param(url, "q").unwrap_or_default();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(invalid_param("q", &format!("At most {MAX_QUERY_CHARS} characters.")));
    }
    let limit = limit_param(url, DEFAULT_HITS, MAX_HITS)?;
    let index = index_for(env, &site.id).await?;
    let locale = search_locale(&site, &index, param(url, "locale").and_then(|l| Locale::from_tag(&l)), &query);
    let started = js_sys::Date::now();
    let (hits, total) = index.search(&query, Some(locale), limit);
    // Workers' clocks stand still while code runs, so this reads 0 on Cloudflare.
    let took_us = ((js_sys::Date::now() - started) * 1000.0).max(0.0) as u64;
    json(200, &SearchResults { hits, total, took_us })
}

#[derive(Deserialize)]
struct ArticleRow {
    id: String,
    title: String,
    html: String,
    locale: String,
    tags: String,
    updated_at: String,
}

/// `GET /v1/sites/{site}/kb/articles/{id}?locale=`: in the asked language if it exists, else
/// the site's default, else any. Each read counts as an article view.
pub async fn article(env: &Env, site_id: &str, id: &str, url: &Url) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::load_cached(&db, site_id).await?;
    let asked = site.config.pick_locale(param(url, "locale").and_then(|l| Locale::from_tag(&l)));
    let row = db
        .prepare(
            "SELECT id, title, html, locale, tags, updated_at FROM kb_articles WHERE site_id = ?1 AND id = ?2
             ORDER BY locale = ?3 DESC, locale = ?4 DESC, locale LIMIT 1",
        )
        .bind(&[site.id.as_str().into(), id.into(), asked.tag().into(), site.config.default_locale.tag().into()])?
        .first::<ArticleRow>(None)
        .await?
        .ok_or_else(|| ApiError::from(problem::not_found("No such article.")))?;
    record(&db, &site, "article_view", Some(&row.id), None).await?;
    json(
        200,
        &KbArticle {
            locale: Locale::from_tag(&row.locale).unwrap_or(site.config.default_locale),
            tags: serde_json::from_str(&row.tags).unwrap_or_default(),
            id: row.id,
            title: row.title,
            html: row.html,
            updated_at: row.updated_at,
        },
    )
}

async fn record(
    db: &D1Database,
    site: &Site,
    kind: &str,
    article: Option<&str>,
    data: Option<String>,
) -> Result<(), ApiError> {
    db.prepare("INSERT INTO events (id, site_id, kind, article_id, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(&[
            new_id(now_ms(), random()?).into(),
            site.id.as_str().into(),
            kind.into(),
            nullable(article),
            nullable(data.as_deref()),
            now_iso().into(),
        ])?
        .run()
        .await?;
    Ok(())
}

/// `POST /v1/sites/{site}/kb/articles/{id}/feedback`: "Was this helpful?".
pub async fn feedback(req: &mut Request, env: &Env, site_id: &str, id: &str) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::load_cached(&db, site_id).await?;
    check_origin(req, &site)?;
    let answer: KbFeedback = read_json(req).await?;
    let exists = db
        .prepare("SELECT id FROM kb_articles WHERE site_id = ?1 AND id = ?2 LIMIT 1")
        .bind(&[site.id.as_str().into(), id.into()])?
        .first::<serde_json::Value>(None)
        .await?;
    if exists.is_none() {
        return Err(problem::not_found("No such article.").into());
    }
    let kind = if answer.helpful { "kb.helpful" } else { "kb.unhelpful" };
    record(&db, &site, kind, Some(id), None).await?;
    json(202, &serde_json::json!({ "recorded": kind }))
}

/// `POST /v1/sites/{site}/events`: searches and opened forms, for deflection statistics.
pub async fn event(req: &mut Request, env: &Env, site_id: &str) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::load_cached(&db, site_id).await?;
    check_origin(req, &site)?;
    let event: WidgetEvent = read_json(req).await?;
    if event.query.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(invalid_param("query", "At most 200 characters."));
    }
    if event.article_id.as_ref().is_some_and(|a| a.len() > 100) {
        return Err(invalid_param("article_id", "At most 100 characters."));
    }
    let data = serde_json::json!({ "query": event.query, "results": event.results }).to_string();
    record(&db, &site, event.kind.as_str(), event.article_id.as_deref(), Some(data)).await?;
    json(202, &serde_json::json!({ "recorded": event.kind.as_str() }))
}

/// `PUT /v1/admin/sites/{site}/kb`: replaces the site's knowledge base. The new index is built
/// and stored under a new version before anything else changes; the articles are replaced in
/// one D1 batch; only then does the pointer move. A publish that fails at any step leaves the
/// working index served.
pub async fn publish(req: &mut Request, env: &Env, site_id: &str) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::authorize_admin(req, &db, site_id).await?;
    let kb: KbPublish = read_json_up_to(req, MAX_KB_BODY_BYTES).await?;
    let errors = validate_publish(&kb, &site.config.locales);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let today: String = now_iso().chars().take(10).collect();
    let mut articles = Vec::with_capacity(kb.articles.len());
    let mut statements =
        vec![db.prepare("DELETE FROM kb_articles WHERE site_id = ?1").bind(&[site.id.as_str().into()])?];
    for a in &kb.articles {
        let locale = a.locale.unwrap_or(site.config.default_locale);
        let (html, plain) = render(&a.body_markdown);
        let tags: Vec<String> = a.tags.iter().map(|t| t.trim().to_owned()).collect();
        statements.push(
            db.prepare(
                "INSERT INTO kb_articles (site_id, id, locale, title, html, tags, category, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .bind(&[
                site.id.as_str().into(),
                a.id.as_str().into(),
                locale.tag().into(),
                a.title.trim().into(),
                html.into(),
                to_json(&tags)?.into(),
                nullable(a.category.as_deref()),
                a.updated.clone().unwrap_or_else(|| today.clone()).into(),
            ])?,
        );
        articles.push(Article {
            url: format!("/v1/sites/{}/kb/articles/{}?locale={}", site.id, a.id, locale.tag()),
            id: a.id.clone(),
            locale,
            title: a.title.trim().to_owned(),
            tags,
            body: plain,
        });
    }
    let index = Index::build(&articles);
    let bytes = index.to_bytes();
    let version = new_id(now_ms(), random()?);
    let store = kv(env)?;
    store.put_bytes(&blob_key(&site.id, &version), &bytes).map_err(kv_error)?.execute().await.map_err(kv_error)?;
    db.batch(statements).await?;
    store.put(&pointer_key(&site.id), version.as_str()).map_err(kv_error)?.execute().await.map_err(kv_error)?;
    remember(&site.id, &version, Rc::new(index));
    json(200, &KbPublished { version, articles: articles.len(), index_bytes: bytes.len() })
}
