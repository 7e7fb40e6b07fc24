//! What visitors did with the knowledge base (searches, article views, votes, opened forms),
//! for deflection statistics.

use worker::{query, D1Database};

use crate::http::ApiError;

/// One widget event of `site`.
pub struct Event<'a> {
    pub id: String,
    pub kind: &'a str,
    pub article_id: Option<&'a str>,
    /// JSON details (a search's query and result count).
    pub data: Option<String>,
    pub at: String,
}

pub async fn record(db: &D1Database, site: &str, event: &Event<'_>) -> Result<(), ApiError> {
    query!(
        db,
        "INSERT INTO events (id, site_id, kind, article_id, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &event.id,
        site,
        event.kind,
        event.article_id,
        &event.data,
        &event.at
    )?
    .run()
    .await?;
    Ok(())
}
