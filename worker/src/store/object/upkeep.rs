//! What a site's store does on its alarm: forget idempotency keys past their window, queue the
//! webhook jobs that could not be queued when their event happened, push its counts to the
//! directory (D1) for the operator's view across sites — so that view never scans every object —
//! and relearn what the site's traffic teaches its search (`learn`).

use serde::Deserialize;
use tabdesk_core::channel::REPLY_EVENT;
use tabdesk_core::domain::limits::IDEMPOTENCY_TTL_MS;
use tabdesk_core::kb::learn::{DAY_MS, WINDOW_DAYS};
use tabdesk_core::webhook::WebhookJob;
use tabdesk_core::wire::Upkeep;
use worker::{query, Env, Result};

use super::Db;
use crate::platform::{now_iso, now_ms};
use crate::store::protocol::Counts;

/// How soon the alarm runs after a write, in ms (an offset for `set_alarm`).
pub const INTERVAL: i64 = 60_000;
/// An event still pending this long after it was written was not queued: the upkeep queues it.
const PENDING_GRACE_MS: u64 = 60_000;
/// How long the keys of channels' deliveries are kept.
const CHANNEL_KEYS_MS: u64 = 7 * 24 * 60 * 60 * 1000;
/// Events queued per run at most (the next run takes the rest).
const BATCH: i64 = 200;

fn iso(ms: u64) -> String {
    js_sys::Date::new(&(ms as f64).into()).to_iso_string().into()
}

#[derive(Deserialize)]
struct Pending {
    id: String,
    kind: String,
    ticket_id: String,
    created_at: String,
    /// The message id of a `message.created` event.
    data: Option<String>,
}

fn counts(db: &Db) -> Result<Counts> {
    Ok(db
        .first(
            "SELECT (SELECT count(*) FROM tickets WHERE spam = 0) AS tickets,
                    (SELECT count(*) FROM tickets WHERE spam = 0 AND status NOT IN ('solved', 'closed')) AS open_tickets,
                    (SELECT count(*) FROM tickets WHERE spam = 1) AS spam,
                    (SELECT count(*) FROM kb_articles) AS articles",
            vec![],
        )?
        .unwrap_or_default())
}

pub async fn run(db: &Db, env: &Env, site: &str) -> Result<Upkeep> {
    let now = now_ms();
    let expired = now.saturating_sub(IDEMPOTENCY_TTL_MS) as i64;
    let purged_keys =
        db.exec("DELETE FROM idempotency WHERE created_at <= ?", vec![expired.into()])?.rows_written() as u64;
    // Platforms retry a delivery for hours at most: a week of keys refuses every repeat.
    let keys_kept = now.saturating_sub(CHANNEL_KEYS_MS) as i64;
    db.exec("DELETE FROM channel_keys WHERE created_at <= ?", vec![keys_kept.into()])?;
    let pending: Vec<Pending> = db.rows(
        "SELECT id, kind, ticket_id, created_at, data FROM events WHERE webhook = 'pending' AND created_at < ?
         ORDER BY created_at LIMIT ?",
        vec![iso(now.saturating_sub(PENDING_GRACE_MS)).into(), BATCH.into()],
    )?;
    let queue = env.queue("WEBHOOKS")?;
    for event in &pending {
        let job = WebhookJob::new(event.id.clone(), site, &event.kind, &event.ticket_id, &event.created_at);
        let about_message = event.kind == "message.created" || event.kind == REPLY_EVENT;
        queue.send(job.with_message(event.data.clone().filter(|_| about_message))).await?;
        db.exec("UPDATE events SET webhook = 'queued' WHERE id = ?", vec![event.id.as_str().into()])?;
    }
    let counts = counts(db)?;
    query!(
        &env.d1("DB")?,
        "INSERT INTO site_stats (site_id, tickets, open_tickets, spam, articles, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (site_id) DO UPDATE SET tickets = ?2, open_tickets = ?3, spam = ?4, articles = ?5, updated_at = ?6",
        site,
        counts.tickets,
        counts.open_tickets,
        counts.spam,
        counts.articles,
        now_iso()
    )?
    .run()
    .await?;
    // Search keeps working with what it learned before if relearning fails: it is retried on
    // the next upkeep.
    let learned_stems = super::learn::relearn(db, env, site, now as i64).await.unwrap_or_else(|e| {
        worker::console_error!("relearning search for {site} failed: {e}");
        0
    });
    Ok(Upkeep { purged_keys, queued_webhooks: pending.len(), learned_stems })
}

/// When the alarm should run again, as an offset in ms: in a minute while webhook jobs wait,
/// else when the oldest key expires, or in a day while search has evidence to learn from (what
/// it learned decays); `None` when there is nothing left to do.
pub fn next_wake(db: &Db) -> Result<Option<i64>> {
    #[derive(Deserialize)]
    struct Oldest {
        created_at: Option<i64>,
        pending: i64,
        evidence: i64,
    }
    let since = iso(now_ms().saturating_sub((WINDOW_DAYS * DAY_MS) as u64));
    let oldest: Option<Oldest> = db.first(
        "SELECT (SELECT min(created_at) FROM idempotency) AS created_at,
                (SELECT count(*) FROM events WHERE webhook = 'pending') AS pending,
                (SELECT count(*) FROM events
                   WHERE kind = 'kb.helpful' AND json_extract(data, '$.query') IS NOT NULL AND created_at >= ?)
                + (SELECT count(*) FROM tickets t JOIN ticket_facts f ON f.ticket_id = t.id
                   WHERE t.category IS NOT NULL AND coalesce(f.searches, '[]') != '[]' AND t.created_at >= ?) AS evidence",
        vec![since.as_str().into(), since.as_str().into()],
    )?;
    let relearn = oldest.as_ref().is_some_and(|o| o.evidence > 0).then_some(DAY_MS);
    Ok(match oldest {
        Some(o) if o.pending > 0 => Some(INTERVAL),
        Some(Oldest { created_at: Some(at), .. }) => {
            let due = (at + IDEMPOTENCY_TTL_MS as i64 - now_ms() as i64).max(INTERVAL);
            Some(relearn.map_or(due, |r| due.min(r)))
        }
        _ => relearn,
    })
}
