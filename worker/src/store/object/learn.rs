//! What a site's traffic teaches its search (`tabdesk_core::kb::learn`): relearned by the
//! store's upkeep (which a helpful vote, a publish and every other write wake), never on the
//! query path, and kept in KV for the isolates that search — written only when it changed.

use serde::Deserialize;
use tabdesk_core::kb::learn::{evidence, Boosts, Filed, Vote, DAY_MS, WINDOW_DAYS};
use tabdesk_core::sla::{format_time, parse_time};
use worker::{Env, Error, Result};

use super::Db;

/// What is learned: 2 added the most helpful articles.
const LEARNED_VERSION: u32 = 2;

/// Rows read per kind at most, the newest first.
const MAX_ROWS: i64 = 5_000;

#[derive(Deserialize)]
struct VoteRow {
    article_id: String,
    query: Option<String>,
    voter: Option<String>,
    created_at: String,
}

#[derive(Deserialize)]
struct FiledRow {
    category: String,
    searches: String,
    created_at: String,
}

/// The KV key of what a site's traffic taught its search.
pub fn learned_key(site: &str) -> String {
    format!("kb:{site}:learned")
}

fn at(created_at: &str) -> i64 {
    parse_time(created_at).unwrap_or(0)
}

#[derive(Deserialize)]
struct Text {
    value: String,
}

/// What the boosts are learned from, in a line: the day (ages count in days) and the count and
/// newest time of each kind of evidence. The upkeep runs after every write; when this line is
/// what the last relearning saw, nothing would change and nothing is read or computed. It starts
/// with the version of what is learned ([`LEARNED_VERSION`]), so a new kind is learned at once.
fn basis(db: &Db, since: &str, now: i64) -> Result<String> {
    let counts: Option<Text> = db.first(
        "SELECT (SELECT count(*) || ',' || coalesce(max(created_at), '') FROM events
                 WHERE kind = 'kb.helpful' AND created_at >= ?)
             || '/' || (SELECT count(*) || ',' || coalesce(max(t.created_at), '')
                 FROM tickets t JOIN ticket_facts f ON f.ticket_id = t.id
                 WHERE t.spam = 0 AND t.category IS NOT NULL AND coalesce(f.searches, '[]') != '[]'
                   AND t.created_at >= ?) AS value",
        vec![since.into(), since.into()],
    )?;
    let day = now.div_euclid(DAY_MS);
    Ok(format!("v{LEARNED_VERSION}/{day}/{}", counts.map(|c| c.value).unwrap_or_default()))
}

/// Relearns the site's boosts at `now` (ms) and stores them if they changed; returns how many
/// stems re-rank something. Skipped when nothing it learns from changed since the last time.
pub async fn relearn(db: &Db, env: &Env, site: &str, now: i64) -> Result<usize> {
    let since = format_time(now - WINDOW_DAYS * DAY_MS);
    let basis = basis(db, &since, now)?;
    let last: Option<Text> = db.first("SELECT value FROM meta WHERE key = 'learned_from'", vec![])?;
    if let Some((seen, stems)) = last.as_ref().and_then(|l| l.value.rsplit_once('#')) {
        if seen == basis {
            return Ok(stems.parse().unwrap_or(0));
        }
    }
    let votes: Vec<VoteRow> = db.rows(
        "SELECT article_id, json_extract(data, '$.query') AS query, json_extract(data, '$.voter') AS voter, created_at
         FROM events WHERE kind = 'kb.helpful' AND article_id IS NOT NULL AND created_at >= ?
         ORDER BY created_at DESC LIMIT ?",
        vec![since.as_str().into(), MAX_ROWS.into()],
    )?;
    let votes: Vec<Vote> = votes
        .into_iter()
        .map(|v| Vote {
            at_ms: at(&v.created_at),
            query: v.query.unwrap_or_default(),
            article: v.article_id,
            voter: v.voter,
        })
        .collect();
    let filed: Vec<FiledRow> = db.rows(
        "SELECT t.category, f.searches, t.created_at FROM tickets t JOIN ticket_facts f ON f.ticket_id = t.id
         WHERE t.spam = 0 AND t.category IS NOT NULL AND coalesce(f.searches, '[]') != '[]' AND t.created_at >= ?
         ORDER BY t.created_at DESC LIMIT ?",
        vec![since.as_str().into(), MAX_ROWS.into()],
    )?;
    let filed: Vec<Filed> = filed
        .into_iter()
        .map(|f| Filed {
            searches: serde_json::from_str(&f.searches).unwrap_or_default(),
            category: f.category,
            at_ms: at(&f.created_at),
        })
        .collect();
    let boosts = Boosts::learn(&evidence(&votes, &filed, now));
    let bytes = boosts.to_bytes();
    let kv = env.kv("KB")?;
    let kv_error = |e: worker::kv::KvError| Error::RustError(format!("kv: {e}"));
    let key = learned_key(site);
    let stored = kv.get(&key).bytes().await.map_err(kv_error)?;
    let unchanged = stored.as_deref().map_or(boosts.is_empty(), |s| s == bytes.as_slice());
    if !unchanged {
        kv.put_bytes(&key, &bytes).map_err(kv_error)?.execute().await.map_err(kv_error)?;
    }
    db.exec(
        "INSERT INTO meta (key, value) VALUES ('learned_from', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        vec![format!("{basis}#{}", boosts.len()).into()],
    )?;
    Ok(boosts.len())
}
