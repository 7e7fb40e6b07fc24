//! Webhook deliveries that succeeded, so a queue message delivered twice is sent once.

use worker::{query, D1Database};

use crate::http::ApiError;

pub async fn is_delivered(db: &D1Database, event_id: &str) -> Result<bool, ApiError> {
    Ok(query!(db, "SELECT event_id FROM webhook_deliveries WHERE event_id = ?1", event_id)?
        .first::<serde_json::Value>(None)
        .await?
        .is_some())
}

pub async fn mark_delivered(db: &D1Database, event_id: &str, at: &str) -> Result<(), ApiError> {
    query!(
        db,
        "INSERT INTO webhook_deliveries (event_id, delivered_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        event_id,
        at
    )?
    .run()
    .await?;
    Ok(())
}
