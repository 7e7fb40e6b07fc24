//! The directory of sites: configuration and the hashed admin token.

use serde::Deserialize;
use tabdesk_core::channel::Channels;
use tabdesk_core::config::SiteConfig;
use tabdesk_core::site::Site;
use tabdesk_core::wire::{Agent, Role, SiteOverview};
use worker::{query, D1Database};

use crate::http::ApiError;

/// Reads a site's stored configuration: if it does not parse, that is our fault.
fn from_stored(what: &str, text: &str) -> Result<SiteConfig, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::internal(format!("stored {what} does not parse: {e}")))
}

/// JSON for a column (a `worker::Error`, so that it can be used among `query!` arguments).
fn to_stored(config: &SiteConfig) -> worker::Result<String> {
    serde_json::to_string(config).map_err(|e| worker::Error::RustError(e.to_string()))
}

#[derive(Deserialize)]
struct SiteRow {
    id: String,
    config: String,
    channels: Option<String>,
}

impl SiteRow {
    fn into_site(self) -> Result<Site, ApiError> {
        let config = from_stored(&format!("config of {}", self.id), &self.config)?;
        let channels = match self.channels {
            Some(text) => serde_json::from_str(&text)
                .map_err(|e| ApiError::internal(format!("stored channels of {} do not parse: {e}", self.id)))?,
            None => Channels::default(),
        };
        Ok(Site { id: self.id, config, channels })
    }
}

/// A site with its channel connections, for `{SITE} WHERE …`.
const SITE: &str = "SELECT s.id, s.config, c.config AS channels FROM sites s LEFT JOIN channels c ON c.site_id = s.id";

/// The site `id`, if it exists.
pub async fn find(db: &D1Database, id: &str) -> Result<Option<Site>, ApiError> {
    query!(db, &format!("{SITE} WHERE s.id = ?1"), id)?
        .first::<SiteRow>(None)
        .await?
        .map(SiteRow::into_site)
        .transpose()
}

/// The site `id`, if `token_hash` is its admin token's hash.
pub async fn find_with_token(db: &D1Database, id: &str, token_hash: &str) -> Result<Option<Site>, ApiError> {
    query!(db, &format!("{SITE} WHERE s.id = ?1 AND s.admin_token_hash = ?2"), id, token_hash)?
        .first::<SiteRow>(None)
        .await?
        .map(SiteRow::into_site)
        .transpose()
}

/// The site whose admin token hashes to `token_hash`, if any.
pub async fn find_by_token(db: &D1Database, token_hash: &str) -> Result<Option<Site>, ApiError> {
    query!(db, &format!("{SITE} WHERE s.admin_token_hash = ?1"), token_hash)?
        .first::<SiteRow>(None)
        .await?
        .map(SiteRow::into_site)
        .transpose()
}

/// Every site with its counts, oldest first.
pub async fn all_with_counts(db: &D1Database) -> Result<Vec<SiteOverview>, ApiError> {
    Ok(query!(
        db,
        "SELECT s.id, s.created_at, c.tickets, c.open_tickets, c.spam, c.articles, c.updated_at AS counted_at
         FROM sites s LEFT JOIN site_stats c ON c.site_id = s.id ORDER BY s.created_at, s.id"
    )
    .all()
    .await?
    .results::<SiteOverview>()?)
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

/// Replaces the site's channel connections.
pub async fn put_channels(db: &D1Database, id: &str, channels: &Channels, now: &str) -> Result<(), ApiError> {
    let text = serde_json::to_string(channels).map_err(|e| ApiError::internal(e.to_string()))?;
    query!(
        db,
        "INSERT INTO channels (site_id, config, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (site_id) DO UPDATE SET config = ?2, updated_at = ?3",
        id,
        text,
        now
    )?
    .run()
    .await?;
    Ok(())
}

#[derive(Deserialize)]
struct AgentRow {
    id: String,
    name: String,
    email: String,
    role: String,
    created_at: String,
}

impl AgentRow {
    fn into_agent(self) -> Agent {
        // Roles are written by us: anything else reads as the narrower one.
        let role = if self.role == "admin" { Role::Admin } else { Role::Agent };
        Agent { id: self.id, name: self.name, email: self.email, role, created_at: self.created_at }
    }
}

fn role_text(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Agent => "agent",
    }
}

/// The active agent of site `site` whose token hashes to `token_hash`, if any.
pub async fn agent_by_token(db: &D1Database, site: &str, token_hash: &str) -> Result<Option<Agent>, ApiError> {
    Ok(query!(
        db,
        "SELECT id, name, email, role, created_at FROM agents
         WHERE site_id = ?1 AND token_hash = ?2 AND revoked_at IS NULL",
        site,
        token_hash
    )?
    .first::<AgentRow>(None)
    .await?
    .map(AgentRow::into_agent))
}

/// The active agent whose token hashes to `token_hash`, with its site's id, if any.
pub async fn agent_of_any_site(db: &D1Database, token_hash: &str) -> Result<Option<(String, Agent)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        site_id: String,
        #[serde(flatten)]
        agent: AgentRow,
    }
    Ok(query!(
        db,
        "SELECT site_id, id, name, email, role, created_at FROM agents WHERE token_hash = ?1 AND revoked_at IS NULL",
        token_hash
    )?
    .first::<Row>(None)
    .await?
    .map(|r| (r.site_id, r.agent.into_agent())))
}

/// The site's active agents, oldest first.
pub async fn agents(db: &D1Database, site: &str) -> Result<Vec<Agent>, ApiError> {
    Ok(query!(
        db,
        "SELECT id, name, email, role, created_at FROM agents WHERE site_id = ?1 AND revoked_at IS NULL
         ORDER BY created_at, id",
        site
    )?
    .all()
    .await?
    .results::<AgentRow>()?
    .into_iter()
    .map(AgentRow::into_agent)
    .collect())
}

pub async fn add_agent(db: &D1Database, site: &str, agent: &Agent, token_hash: &str) -> Result<(), ApiError> {
    query!(
        db,
        "INSERT INTO agents (id, site_id, name, email, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &agent.id,
        site,
        &agent.name,
        &agent.email,
        role_text(agent.role),
        token_hash,
        &agent.created_at
    )?
    .run()
    .await?;
    Ok(())
}

/// Revokes agent `id` of `site`; `false` if there is no such active agent.
pub async fn revoke_agent(db: &D1Database, site: &str, id: &str, now: &str) -> Result<bool, ApiError> {
    let done = query!(
        db,
        "UPDATE agents SET revoked_at = ?1 WHERE site_id = ?2 AND id = ?3 AND revoked_at IS NULL",
        now,
        site,
        id
    )?
    .run()
    .await?;
    Ok(done.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}
