//! Webhooks: handlers queue a [`WebhookJob`] after their write commits (the only way in), and
//! the queue consumer delivers it signed (see `tabdesk_core::webhook`). A delivery that fails is
//! retried by the queue; one that succeeded is recorded, so a message delivered twice by the
//! queue is sent once.

use tabdesk_core::webhook::{sign, WebhookJob, WebhookPayload, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER};
use worker::{Env, Fetch, Headers, Message, MessageBatch, MessageExt, Method, Request, RequestInit};

use crate::http::{to_json, ApiError};
use crate::platform::{now_iso, now_ms};
use crate::{cache, store};

/// Queues an event for delivery. The event row is already stored, so a failure here loses no
/// data: it is logged, and the request still succeeds.
pub async fn enqueue(env: &Env, job: WebhookJob) {
    let sent = match env.queue("WEBHOOKS") {
        Ok(queue) => queue.send(&job).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_error!("webhook {} not queued: {e}", job.event_id);
    }
}

enum Outcome {
    Done,
    Retry(String),
}

async fn deliver(env: &Env, job: &WebhookJob) -> Result<Outcome, ApiError> {
    let db = store::db(env)?;
    if store::deliveries::is_delivered(&db, &job.event_id).await? {
        return Ok(Outcome::Done);
    }
    let site = cache::load_site(env, &job.site_id).await?;
    let (Some(hook), Some(ticket)) = (&site.config.webhook, store::tickets::find(&db, &site.id, &job.ticket_id).await?)
    else {
        // The site removed its webhook, or the ticket is gone: nothing to send.
        return Ok(Outcome::Done);
    };
    let payload = WebhookPayload {
        id: job.event_id.clone(),
        kind: job.kind.clone(),
        site: site.id.clone(),
        created_at: job.created_at.clone(),
        ticket,
    };
    let body = to_json(&payload)?;
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    headers.set("User-Agent", "Tabdesk-Webhooks/1")?;
    headers.set(SIGNATURE_HEADER, &sign(&hook.secret, now_ms() / 1000, &body))?;
    headers.set(EVENT_ID_HEADER, &job.event_id)?;
    headers.set(EVENT_TYPE_HEADER, &job.kind)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.into()));
    let status = match Fetch::Request(Request::new_with_init(&hook.url, &init)?).send().await {
        Ok(response) => response.status_code(),
        Err(e) => return Ok(Outcome::Retry(e.to_string())),
    };
    if !(200..300).contains(&status) {
        return Ok(Outcome::Retry(format!("the receiver answered {status}")));
    }
    store::deliveries::mark_delivered(&db, &job.event_id, &now_iso()).await?;
    Ok(Outcome::Done)
}

/// The queue consumer: each message is acknowledged once delivered (or pointless), else retried.
pub async fn consume(batch: MessageBatch<WebhookJob>, env: Env) -> worker::Result<()> {
    for message in batch.messages()? {
        let job: &WebhookJob = Message::body(&message);
        match deliver(&env, job).await {
            Ok(Outcome::Done) => message.ack(),
            Ok(Outcome::Retry(why)) => {
                worker::console_warn!("webhook {} for {}: {why}; retrying", job.event_id, job.site_id);
                message.retry();
            }
            Err(e) => {
                worker::console_error!("webhook {} for {}: {e:?}; retrying", job.event_id, job.site_id);
                message.retry();
            }
        }
    }
    Ok(())
}
