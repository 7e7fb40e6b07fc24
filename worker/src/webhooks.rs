//! Webhooks: events are queued after their D1 batch commits, and the queue consumer delivers
//! them signed (see `tabdesk_core::webhook`). A delivery that fails is retried by the queue; one
//! that succeeded is recorded, so a message delivered twice by the queue is sent once.

use tabdesk_core::webhook::{sign, WebhookJob, WebhookPayload, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER};
use worker::{Env, Fetch, Headers, Message, MessageBatch, MessageExt, Method, Request, RequestInit};

use crate::http::{to_json, ApiError};
use crate::platform::{now_iso, now_ms};
use crate::sites::{self, Site};
use crate::tickets;

/// Queues an event for delivery, if the site has a webhook. The event row is already stored,
/// so a failure here loses no data: it is logged, and the request still succeeds.
pub async fn enqueue(env: &Env, site: &Site, event_id: &str, kind: &str, ticket_id: &str, created_at: &str) {
    if site.config.webhook.is_none() {
        return;
    }
    let job = WebhookJob {
        event_id: event_id.to_owned(),
        site_id: site.id.clone(),
        kind: kind.to_owned(),
        ticket_id: ticket_id.to_owned(),
        created_at: created_at.to_owned(),
    };
    let sent = match env.queue("WEBHOOKS") {
        Ok(queue) => queue.send(job).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_error!("webhook {event_id} not queued: {e}");
    }
}

enum Outcome {
    Done,
    Retry(String),
}

async fn deliver(env: &Env, job: &WebhookJob) -> Result<Outcome, ApiError> {
    let db = sites::db(env)?;
    let delivered = db
        .prepare("SELECT event_id FROM webhook_deliveries WHERE event_id = ?1")
        .bind(&[job.event_id.as_str().into()])?
        .first::<serde_json::Value>(None)
        .await?;
    if delivered.is_some() {
        return Ok(Outcome::Done);
    }
    let site = sites::load(&db, &job.site_id).await?;
    let (Some(hook), Some(ticket)) = (&site.config.webhook, tickets::find(&db, &site.id, &job.ticket_id).await?) else {
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
    db.prepare("INSERT INTO webhook_deliveries (event_id, delivered_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
        .bind(&[job.event_id.as_str().into(), now_iso().into()])?
        .run()
        .await?;
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
