//! The directory of sites: configuration and the hashed admin token.

use serde::Deserialize;
use tabdesk_core::config::SiteConfig;
use tabdesk_core::site::Site;
use worker::{query, D1Database};

use super::{from_stored, to_stored};
use crate::http::ApiError;

#[derive(Deserialize)]
struct SiteRow {
    id: String,
    config: String,
}

impl SiteRow {
    fn into_site(self) -> Result<Site, ApiError> {
        let config = from_stored(&format!("config of {}", self.id), &self.config)?;
        Ok(Site { id: self.id, config })
    }
}

/// The site `id`, if it exists.
pub async fn find(db: &D1Database, id: &str) -> Result<Option<Site>, ApiError> {
    query!(db, "SELECT id, config FROM sites WHERE id = ?1", id)?
        .first::<SiteRow>(None)
        .await?
        .map(SiteRow::into_site)
        .transpose()
}

/// The site `id`, if `token_hash` is its admin token's hash.
pub async fn find_with_token(db: &D1Database, id: &str, token_hash: &str) -> Result<Option<Site>, ApiError> {
    query!(db, "SELECT id, config FROM sites WHERE id = ?1 AND admin_token_hash = ?2", id, token_hash)?
        .first::<SiteRow>(None)
        .await?
        .map(SiteRow::into_site)
        .transpose()
}

/// The site of ticket `ticket_id`, if the ticket exists.
pub async fn of_ticket(db: &D1Database, ticket_id: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Owner {
        site_id: String,
    }
    Ok(query!(db, "SELECT site_id FROM tickets WHERE id = ?1", ticket_id)?
        .first::<Owner>(None)
        .await?
        .map(|o| o.site_id))
}

/// Creates a site; `false` when the id is taken.
pub async fn create(
    db: &D1Database,
    id: &str,
    config: &SiteConfig,
    token_hash: &str,
    now: &str,
) -> Result<bool, ApiError> {
    let inserted = query!(
        db,
        "INSERT INTO sites (id, config, admin_token_hash, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO NOTHING",
        id,
        to_stored(config)?,
        token_hash,
        now
    )?
    .run()
    .await?;
    Ok(inserted.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}

pub async fn put_config(db: &D1Database, id: &str, config: &SiteConfig) -> Result<(), ApiError> {
    query!(db, "UPDATE sites SET config = ?1 WHERE id = ?2", to_stored(config)?, id)?.run().await?;
    Ok(())
}
