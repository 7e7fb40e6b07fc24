//! Webhooks: handlers hand over a [`WebhookJob`] after their write committed (the only way in),
//! and the queue consumer delivers it signed (see `tabdesk_core::webhook`).
//!
//! What is guaranteed: every event of a site with a webhook is written with its ticket change,
//! marked `pending`, and queued after the answer; an event still pending after a minute (the queue
//! refused it) is queued by the site store's upkeep (its alarm). Deliveries go only where the outbound
//! policy allows (public https hosts), never follow redirects, and give up on a receiver after
//! [`crate::outbound::TIMEOUT_MS`]. One slow receiver does not hold up other sites': the messages of a
//! batch are delivered side by side, and batches run concurrently on Cloudflare (the queue
//! scales its consumers with the backlog; local workerd runs one batch at a time, so there a
//! slow receiver delays later batches by at most the timeout). A failed delivery is retried with a delay that grows with the event's age (from 5 seconds to
//! an hour), up to the queue's `max_retries`, and then lands in the dead-letter queue. A delivery
//! that succeeded is recorded, so a job that comes twice is sent once.

use futures_util::future::join_all;
use tabdesk_core::channel::REPLY_EVENT;
use tabdesk_core::url::check_outbound;
use tabdesk_core::webhook::{sign, WebhookJob, WebhookPayload, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER};
use worker::{Context, Env, Message, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

use crate::http::{to_json, ApiError};
use crate::outbound::{post_with, Posted};
use crate::platform::{now_iso, now_ms};
use crate::{cache, replies, settings, store};

/// Bounds of the wait before a failed delivery is tried again.
const MIN_RETRY_SECONDS: u64 = 5;
const MAX_RETRY_SECONDS: u64 = 3_600;

/// Queues `job` and marks its event queued. Errors are logged: the event stays `pending`, and
/// the site store's upkeep queues it later.
pub async fn enqueue(env: &Env, job: &WebhookJob) {
    let sent = match env.queue("WEBHOOKS") {
        Ok(queue) => queue.send(job).await.map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    let marked = match sent {
        Ok(()) => match store::site::open(env, &job.site_id) {
            Ok(site_store) => site_store.mark_queued(&job.event_id).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    if let Err(e) = marked {
        worker::console_error!("webhook {} not queued yet: {e:?}", job.event_id);
    }
}

/// [`enqueue`] after the answer is sent: the customer never waits for the queue.
pub fn enqueue_later(env: &Env, ctx: &Context, job: WebhookJob) {
    let env = env.clone();
    ctx.wait_until(async move { enqueue(&env, &job).await });
}

enum Outcome {
    Done,
    Retry(String),
}

async fn deliver(env: &Env, job: &WebhookJob) -> Result<Outcome, ApiError> {
    if job.kind == REPLY_EVENT {
        return Ok(match replies::send_reply(env, job).await? {
            replies::Sent::Done => Outcome::Done,
            replies::Sent::Retry(why) => Outcome::Retry(why),
        });
    }
    let site = cache::load_site(env, &job.site_id).await?;
    let site_store = store::site::open(env, &site.id)?;
    if site_store.is_delivered(&job.event_id).await? {
        return Ok(Outcome::Done);
    }
    let (Some(hook), Some((ticket, thread))) = (&site.config.webhook, site_store.thread(&job.ticket_id).await?) else {
        // The site removed its webhook, or the ticket is gone: nothing to send.
        return Ok(Outcome::Done);
    };
    if let Err(why) = check_outbound(&hook.url, settings::outbound(env)) {
        worker::console_warn!("webhook {} of {} not sent to a refused address: {why}", job.event_id, site.id);
        return Ok(Outcome::Done);
    }
    let payload = WebhookPayload {
        id: job.event_id.clone(),
        kind: job.kind.clone(),
        site: site.id.clone(),
        created_at: job.created_at.clone(),
        ticket,
        // Only public messages make events; the filter keeps it so whatever the store holds.
        message: job.message_id.as_ref().and_then(|id| {
            thread.into_iter().find(|m| &m.id == id && m.visibility == tabdesk_core::wire::Visibility::Public)
        }),
    };
    let body = to_json(&payload)?;
    let signature = sign(&hook.secret, now_ms() / 1000, &body);
    let headers =
        [(SIGNATURE_HEADER, signature.as_str()), (EVENT_ID_HEADER, &job.event_id), (EVENT_TYPE_HEADER, &job.kind)];
    let status = match post_with(&hook.url, "application/json", body, &headers).await? {
        Posted::Answered(status, _) => status,
        Posted::NoAnswer(why) => return Ok(Outcome::Retry(why)),
    };
    if !(200..300).contains(&status) {
        return Ok(Outcome::Retry(format!("the receiver answered {status} (redirects are not followed)")));
    }
    site_store.mark_delivered(&job.event_id, &now_iso()).await?;
    Ok(Outcome::Done)
}

/// The wait before trying `job` again: as long as the event is old, within bounds, so retries
/// come quickly at first and then back off.
fn retry_delay(job: &WebhookJob) -> u32 {
    let created = js_sys::Date::parse(&job.created_at);
    let age_seconds = if created.is_nan() { 0 } else { now_ms().saturating_sub(created as u64) / 1000 };
    age_seconds.clamp(MIN_RETRY_SECONDS, MAX_RETRY_SECONDS) as u32
}

async fn handle(env: &Env, message: Message<WebhookJob>) {
    let job = message.body();
    let retry = match deliver(env, job).await {
        Ok(Outcome::Done) => None,
        Ok(Outcome::Retry(why)) => Some(why),
        Err(e) => Some(format!("{e:?}")),
    };
    match retry {
        None => message.ack(),
        Some(why) => {
            let delay = retry_delay(job);
            worker::console_warn!("webhook {} for {}: {why}; retrying in {delay} s", job.event_id, job.site_id);
            message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(delay).build());
        }
    }
}

/// The queue consumer: the batch's messages are delivered side by side; each is acknowledged
/// once delivered (or pointless), else retried later.
pub async fn consume(batch: MessageBatch<WebhookJob>, env: Env) -> worker::Result<()> {
    join_all(batch.messages()?.into_iter().map(|message| handle(&env, message))).await;
    Ok(())
}
