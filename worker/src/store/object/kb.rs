//! The published knowledge base of a site's store: articles as rendered at publish time, and
//! the versions publishes went through (compare and swap).

use serde::Deserialize;
use tabdesk_core::domain::Locale;
use tabdesk_core::kb::publish::StoredArticle;
use tabdesk_core::wire::KbArticle;
use worker::{Error, Result};

use super::Db;

/// The version of the published knowledge base; `""` before the first publish.
pub fn current_version(db: &Db, site: &str) -> Result<String> {
    #[derive(Deserialize)]
    struct Version {
        version: String,
    }
    let row: Option<Version> = db.first(
        "SELECT version FROM kb_publishes WHERE site_id = ? ORDER BY published_at DESC, version DESC LIMIT 1",
        vec![site.into()],
    )?;
    Ok(row.map(|r| r.version).unwrap_or_default())
}

/// The version that `version` replaced, if it is known.
pub fn replaced_by(db: &Db, site: &str, version: &str) -> Result<Option<String>> {
    #[derive(Deserialize)]
    struct Base {
        base_version: String,
    }
    let row: Option<Base> = db.first(
        "SELECT base_version FROM kb_publishes WHERE site_id = ? AND version = ?",
        vec![site.into(), version.into()],
    )?;
    Ok(row.map(|r| r.base_version).filter(|v| !v.is_empty()))
}

/// Replaces the articles with `articles` as version `version`, if the knowledge base is still at
/// `base` (else `false`, and nothing changes): one synchronous run of statements.
pub fn replace(db: &Db, site: &str, articles: &[StoredArticle], base: &str, version: &str, now: &str) -> Result<bool> {
    if current_version(db, site)? != base {
        return Ok(false);
    }
    db.exec(
        "INSERT INTO kb_publishes (site_id, base_version, version, published_at) VALUES (?, ?, ?, ?)",
        vec![site.into(), base.into(), version.into(), now.into()],
    )?;
    db.exec("DELETE FROM kb_articles", vec![])?;
    for a in articles {
        let tags = serde_json::to_string(&a.tags).map_err(|e| Error::RustError(e.to_string()))?;
        db.exec(
            "INSERT INTO kb_articles (site_id, id, locale, title, html, tags, category, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                site.into(),
                a.id.as_str().into(),
                a.locale.tag().into(),
                a.title.as_str().into(),
                a.html.as_str().into(),
                tags.into(),
                a.category.as_deref().into(),
                a.updated.as_str().into(),
            ],
        )?;
    }
    Ok(true)
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
pub fn find(db: &Db, _site: &str, id: &str, preferred: [Locale; 2]) -> Result<Option<KbArticle>> {
    let row: Option<ArticleRow> = db.first(
        "SELECT id, title, html, locale, tags, updated_at FROM kb_articles WHERE id = ?
         ORDER BY locale = ? DESC, locale = ? DESC, locale LIMIT 1",
        vec![id.into(), preferred[0].tag().into(), preferred[1].tag().into()],
    )?;
    row.map(|r| {
        Ok(KbArticle {
            locale: Locale::from_tag(&r.locale).unwrap_or(preferred[1]),
            tags: serde_json::from_str(&r.tags).map_err(|e| Error::RustError(format!("stored tags: {e}")))?,
            id: r.id,
            title: r.title,
            html: r.html,
            updated_at: r.updated_at,
        })
    })
    .transpose()
}

/// Whether article `id` exists in any language.
pub fn exists(db: &Db, _site: &str, id: &str) -> Result<bool> {
    #[derive(Deserialize)]
    struct Found {}
    Ok(db.first::<Found>("SELECT 1 AS found FROM kb_articles WHERE id = ? LIMIT 1", vec![id.into()])?.is_some())
}
