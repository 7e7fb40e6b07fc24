//! The published knowledge base: articles as rendered at publish time.

use serde::Deserialize;
use tabdesk_core::domain::Locale;
use tabdesk_core::kb::publish::StoredArticle;
use tabdesk_core::wire::KbArticle;
use worker::{query, D1Database};

use super::{from_stored, to_stored};
use crate::http::ApiError;

/// Replaces the site's articles in one batch (one transaction).
pub async fn replace(db: &D1Database, site: &str, articles: &[StoredArticle]) -> Result<(), ApiError> {
    let mut statements = vec![query!(db, "DELETE FROM kb_articles WHERE site_id = ?1", site)?];
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
    db.batch(statements).await?;
    Ok(())
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
