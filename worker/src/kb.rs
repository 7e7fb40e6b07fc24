//! Knowledge-base search for the widget.

use serde::Deserialize;
use tabdesk_core::locale::Locale;
use tabdesk_core::search::{search as rank, Document};
use tabdesk_core::wire::SearchResults;
use worker::{D1Database, Env, Url};

use crate::http::{invalid_param, json, limit_param, param, ApiError, ApiResult};
use crate::sites::{self, Site};

const DEFAULT_HITS: usize = 10;
const MAX_HITS: usize = 50;
const MAX_QUERY_CHARS: usize = 200;

#[derive(Deserialize)]
struct ArticleRow {
    id: String,
    title: String,
    body: String,
    tags: String,
}

async fn documents(db: &D1Database, site: &Site, locale: Locale) -> Result<Vec<Document>, ApiError> {
    let rows = db
        .prepare("SELECT id, title, body, tags FROM kb_articles WHERE site_id = ?1 AND locale = ?2")
        .bind(&[site.id.as_str().into(), locale.tag().into()])?
        .all()
        .await?
        .results::<ArticleRow>()?;
    Ok(rows
        .into_iter()
        .map(|r| Document {
            url: format!("/v1/sites/{}/kb/articles/{}", site.id, r.id),
            id: r.id,
            title: r.title,
            tags: serde_json::from_str(&r.tags).unwrap_or_default(),
            body: r.body,
        })
        .collect())
}

/// `GET /v1/sites/{site}/kb/search?q=&locale=&limit=`: articles in the asked language, or in
/// the site's default language when it has none in that one.
pub async fn search(env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::load(&db, site_id).await?;
    let query = param(url, "q").unwrap_or_default();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(invalid_param("q", &format!("At most {MAX_QUERY_CHARS} characters.")));
    }
    let limit = limit_param(url, DEFAULT_HITS, MAX_HITS)?;
    let locale = site.config.pick_locale(param(url, "locale").and_then(|l| Locale::from_tag(&l)));
    let mut docs = documents(&db, &site, locale).await?;
    let fallback = site.config.default_locale;
    if docs.is_empty() && locale != fallback {
        docs = documents(&db, &site, fallback).await?;
    }
    let started = worker::Date::now().as_millis();
    let (hits, total) = rank(&docs, &query, limit);
    let took_us = (worker::Date::now().as_millis() - started) * 1000;
    json(200, &SearchResults { hits, total, took_us })
}
