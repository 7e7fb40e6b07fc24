//! The published knowledge base: articles as rendered at publish time.

use serde::Deserialize;
use tabdesk_core::domain::Locale;
use tabdesk_core::kb::publish::StoredArticle;
use tabdesk_core::wire::KbArticle;
use worker::{query, D1Database};

use super::{from_stored, to_stored};
use crate::http::ApiError;

/// The version of the site's published knowledge base; `""` before the first publish.
pub async fn current_version(db: &D1Database, site: &str) -> Result<String, ApiError> {
    #[derive(Deserialize)]
    struct Version {
        version: String,
    }
    let row = query!(
        db,
        "SELECT version FROM kb_publishes WHERE site_id = ?1 ORDER BY published_at DESC, version DESC LIMIT 1",
        site
    )?
    .first::<Version>(None)
    .await?;
    Ok(row.map(|r| r.version).unwrap_or_default())
}

/// The version that `version` replaced, if it is known.
pub async fn replaced_by(db: &D1Database, site: &str, version: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Base {
        base_version: String,
    }
    let row = query!(db, "SELECT base_version FROM kb_publishes WHERE site_id = ?1 AND version = ?2", site, version)?
        .first::<Base>(None)
        .await?;
    Ok(row.map(|r| r.base_version).filter(|v| !v.is_empty()))
}

/// Replaces the site's articles with `articles` as version `version`, if the site is still at
/// `base` — one batch (one transaction): a publish that landed from the same base first makes
/// this one fail whole on `kb_publishes`' primary key. Returns `false` then.
pub async fn replace(
    db: &D1Database,
    site: &str,
    articles: &[StoredArticle],
    base: &str,
    version: &str,
    now: &str,
) -> Result<bool, ApiError> {
    let mut statements = vec![
        query!(
            db,
            "INSERT INTO kb_publishes (site_id, base_version, version, published_at) VALUES (?1, ?2, ?3, ?4)",
            site,
            base,
            version,
            now
        )?,
        query!(db, "DELETE FROM kb_articles WHERE site_id = ?1", site)?,
    ];
    for a in articles {
        statements.push(query!(
            db,
            "INSERT INTO kb_articles (site_id, id, locale, title, html, tags, category, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            site,
            &a.id,
            a.locale.tag(),
            &a.title,
            &a.html,
            to_stored(&a.tags)?,
            &a.category,
            &a.updated
        )?);
    }
    match db.batch(statements).await {
        Ok(_) => Ok(true),
        Err(e) if current_version(db, site).await? != base => {
            worker::console_warn!("publish of {site} from {base:?} lost to another: {e}");
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
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

/// Article `id` in the first of `preferred` it exists in, else in any language.
pub async fn find(
    db: &D1Database,
    site: &str,
    id: &str,
    preferred: [Locale; 2],
) -> Result<Option<KbArticle>, ApiError> {
    let row = query!(
        db,
        "SELECT id, title, html, locale, tags, updated_at FROM kb_articles WHERE site_id = ?1 AND id = ?2
         ORDER BY locale = ?3 DESC, locale = ?4 DESC, locale LIMIT 1",
        site,
        id,
        preferred[0].tag(),
        preferred[1].tag()
    )?
    .first::<ArticleRow>(None)
    .await?;
    row.map(|r| {
        Ok(KbArticle {
            locale: Locale::from_tag(&r.locale).unwrap_or(preferred[1]),
            tags: from_stored("article tags", &r.tags)?,
            id: r.id,
            title: r.title,
            html: r.html,
            updated_at: r.updated_at,
        })
    })
    .transpose()
}

/// Whether article `id` exists in any language.
pub async fn exists(db: &D1Database, site: &str, id: &str) -> Result<bool, ApiError> {
    Ok(query!(db, "SELECT id FROM kb_articles WHERE site_id = ?1 AND id = ?2 LIMIT 1", site, id)?
        .first::<serde_json::Value>(None)
        .await?
        .is_some())
}
