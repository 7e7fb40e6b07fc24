//! What the scheduled trigger (wrangler.toml `[triggers]`) does each minute: forget expired
//! idempotency keys, and queue webhook jobs that could not be queued when their event happened.

use tabdesk_core::webhook::WebhookJob;
use worker::Env;

use crate::http::ApiError;
use crate::platform::now_ms;
use crate::{store, webhooks};

/// An event still pending this long after it was written was not queued: the sweep queues it.
const PENDING_GRACE_MS: u64 = 60_000;
/// Events queued per run at most (the next run takes the rest).
const SWEEP_BATCH: usize = 200;

fn iso(ms: u64) -> String {
    js_sys::Date::new(&(ms as f64).into()).to_iso_string().into()
}

async fn sweep(env: &Env) -> Result<(u64, usize), ApiError> {
    let db = store::db(env)?;
    let now = now_ms();
    let purged = store::tickets::purge_expired_keys(&db, now).await?;
    let pending =
        store::tickets::pending_webhooks(&db, &iso(now.saturating_sub(PENDING_GRACE_MS)), SWEEP_BATCH).await?;
    for event in &pending {
        let job = WebhookJob::new(event.id.clone(), &event.site_id, &event.kind, &event.ticket_id, &event.created_at);
        webhooks::enqueue(env, &job).await;
    }
    Ok((purged, pending.len()))
}

pub async fn run(env: &Env) {
    match sweep(env).await {
        Ok((purged, queued)) => {
            worker::console_log!("maintenance: {purged} expired keys purged, {queued} webhook jobs queued")
        }
        Err(e) => worker::console_error!("maintenance failed: {e:?}"),
    }
}
