//! Agents' replies on tickets from a channel, sent back to the platform: a job on the webhooks'
//! outbox queue (`channel.reply`), run by its consumer. What the call is and what the platform's
//! answer means are core's (`tabdesk_core::channel`).

use tabdesk_core::channel::{outcome, reply_call, Outcome};
use tabdesk_core::url::check_outbound;
use tabdesk_core::webhook::WebhookJob;
use tabdesk_core::wire::DeliveryState;
use worker::Env;

use crate::http::ApiError;
use crate::outbound::{post, Posted};
use crate::{cache, settings, store};

/// Tries of one reply before it is marked failed (the queue waits longer between each).
const MAX_REPLY_ATTEMPTS: i64 = 8;

/// What became of a reply job.
pub enum Sent {
    Done,
    Retry(String),
}

/// Sends the agent's reply of `job` to the platform its ticket came from, once: a reply already
/// sent or failed is left alone; the platform's answer is recorded on the message ("sent", or
/// "failed: …"), and a reply that failed only for now is tried again, up to
/// [`MAX_REPLY_ATTEMPTS`].
pub async fn send_reply(env: &Env, job: &WebhookJob) -> Result<Sent, ApiError> {
    let Some(message_id) = job.message_id.as_deref() else { return Ok(Sent::Done) };
    let site = cache::load_site(env, &job.site_id).await?;
    let site_store = store::site::open(env, &site.id)?;
    let Some(reply) = site_store.reply(message_id).await? else { return Ok(Sent::Done) };
    if reply.state != DeliveryState::Pending {
        return Ok(Sent::Done);
    }
    let finish = |state, detail: Option<String>, sent_id: Option<String>| {
        site_store.mark_reply(message_id, state, detail, sent_id, Some(&job.event_id))
    };
    let Some(call) = reply_call(&site.channels, &reply.reply_to, &reply.body, message_id) else {
        finish(DeliveryState::Failed, Some("the channel is no longer connected".into()), None).await?;
        return Ok(Sent::Done);
    };
    let base = settings::platform_api(env, reply.reply_to.channel());
    if let Err(why) = check_outbound(&base, settings::outbound(env)) {
        finish(DeliveryState::Failed, Some(format!("the platform's address is refused: {why}")), None).await?;
        return Ok(Sent::Done);
    }
    let answer = match post(&format!("{base}{}", call.path), call.content_type, call.body).await? {
        Posted::Answered(status, body) => outcome(&reply.reply_to, status, &body),
        // A fetch error may quote the address, and Telegram's holds the bot's token: it is cut out
        // before the reason is logged or shown to agents.
        Posted::NoAnswer(why) => {
            Outcome::Retry(format!("no answer to {}: {}", call.method, why.replace(&call.path, "/…")))
        }
    };
    match answer {
        Outcome::Sent(id) => finish(DeliveryState::Sent, None, Some(id)).await?,
        Outcome::Failed(why) => finish(DeliveryState::Failed, Some(why), None).await?,
        Outcome::Retry(why) if reply.attempts + 1 >= MAX_REPLY_ATTEMPTS => {
            finish(DeliveryState::Failed, Some(format!("{} tries: {why}", reply.attempts + 1)), None).await?
        }
        Outcome::Retry(why) => {
            site_store.note_reply_try(message_id, &why).await?;
            worker::console_warn!("reply {message_id} of {} by {}: {why}", site.id, call.method);
            return Ok(Sent::Retry(why));
        }
    }
    Ok(Sent::Done)
}
