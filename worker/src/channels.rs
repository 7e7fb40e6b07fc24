//! Channels: a site's connections (`GET`/`PUT /v1/admin/sites/{site}/channels`), the VK Callback
//! API (`POST /v1/channels/vk/{site}`) and the Telegram webhook
//! (`POST /v1/channels/telegram/{site}`). Agents' replies go back through `replies`.
//!
//! What a platform's delivery means, which deliveries are one, what a reply is sent as and what
//! the platform's answer means are core's (`tabdesk_core::channel`). A delivery is answered
//! only once it is filed, so a platform that got no answer sends it again, and the site's store
//! refuses the repeat in the same write that would file it.

use tabdesk_core::agents::Action;
use tabdesk_core::channel::telegram::{self, SECRET_HEADER};
use tabdesk_core::channel::{apply, view, vk, Inbound};
use tabdesk_core::domain::ids::new_id;
use tabdesk_core::domain::limits::MAX_BODY_BYTES;
use tabdesk_core::problem;
use tabdesk_core::site::Site;
use tabdesk_core::sla::due_times;
use tabdesk_core::ticket::{accept_inbound, message};
use tabdesk_core::token::{access_token, hash_token};
use tabdesk_core::webhook::WebhookJob;
use tabdesk_core::wire::{Author, AuthorKind, ChannelsUpdate, NewMessage, Visibility};
use worker::{Context, Env, Request, Url};

use crate::http::{header, json, read_json, read_json_up_to, respond, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::store::protocol::{Arrival, Arrived, NewTicket as NewRecord};
use crate::{auth, cache, settings, store, webhooks};

/// `GET /v1/admin/sites/{site}/channels`: what is connected, never a secret.
pub async fn connections(req: &Request, env: &Env, id: &str, url: &Url) -> ApiResult {
    let site = auth::site(req, &store::db(env)?, id, Action::Configure).await?.site;
    json(200, &view(&site.channels, &url.origin().ascii_serialization(), &site.id))
}

/// `PUT /v1/admin/sites/{site}/channels`: replaces the connections (secrets left out are kept).
pub async fn connect(req: &mut Request, env: &Env, id: &str, url: &Url) -> ApiResult {
    let db = store::db(env)?;
    let site = auth::site(req, &db, id, Action::Configure).await?.site;
    let update: ChannelsUpdate = read_json(req).await?;
    let channels = apply(&site.channels, update).map_err(problem::validation)?;
    store::sites::put_channels(&db, &site.id, &channels, &now_iso()).await?;
    cache::forget_site(&site.id);
    json(200, &view(&channels, &url.origin().ascii_serialization(), &site.id))
}

fn plain_ok() -> ApiResult {
    Ok(respond("ok".into(), 200, "text/plain; charset=utf-8"))
}

fn forbidden() -> ApiError {
    problem::forbidden("This request is not from the platform the site connected.").into()
}

/// `POST /v1/channels/vk/{site}`: VK's Callback API.
pub async fn vk_callback(req: &mut Request, env: &Env, ctx: &Context, id: &str) -> ApiResult {
    let site = cache::load_site(env, id).await?;
    let Some(community) = site.channels.vk.as_ref() else {
        return Err(problem::not_found("This site has no VK community connected.").into());
    };
    let callback: vk::Callback = read_json_up_to(req, MAX_BODY_BYTES).await?;
    match vk::receive(community, &callback) {
        vk::Received::Confirm(text) => Ok(respond(text, 200, "text/plain; charset=utf-8")),
        vk::Received::Refused => Err(forbidden()),
        vk::Received::Ignored(why) => {
            worker::console_log!("VK event {} of {} ignored: {why}", callback.kind, site.id);
            plain_ok()
        }
        vk::Received::Message(inbound) => {
            file(env, ctx, &site, &inbound).await?;
            plain_ok()
        }
    }
}

/// `POST /v1/channels/telegram/{site}`: the bot's webhook. `/start` is answered in the webhook's
/// answer (Telegram runs it), with the site's greeting and its knowledge base's address.
pub async fn telegram_webhook(req: &mut Request, env: &Env, ctx: &Context, id: &str, url: &Url) -> ApiResult {
    let site = cache::load_site(env, id).await?;
    let Some(bot) = site.channels.telegram.as_ref() else {
        return Err(problem::not_found("This site has no Telegram bot connected.").into());
    };
    if !telegram::is_from_telegram(bot, header(req, SECRET_HEADER).as_deref()) {
        return Err(forbidden());
    }
    let update: telegram::Update = read_json_up_to(req, MAX_BODY_BYTES).await?;
    match telegram::receive(&update) {
        telegram::Received::Start { chat_id, locale } => {
            let locale = site.config.pick_locale(Some(locale));
            let kb = format!(
                "{}/embed?site={}&mode=page&channel=telegram&locale={}",
                url.origin().ascii_serialization(),
                site.id,
                locale.tag()
            );
            json(200, &telegram::greeting(chat_id, locale, &site.config.name, &kb))
        }
        telegram::Received::Ignored(why) => {
            worker::console_log!("Telegram update {} of {} ignored: {why}", update.update_id, site.id);
            json(200, &serde_json::json!({}))
        }
        telegram::Received::Message(inbound) => {
            file(env, ctx, &site, &inbound).await?;
            json(200, &serde_json::json!({}))
        }
    }
}

/// Files `inbound`: on its conversation's open ticket, else as a new ticket (core's
/// `accept_inbound`). A repeat changes nothing.
async fn file(env: &Env, ctx: &Context, site: &Site, inbound: &Inbound) -> Result<(), ApiError> {
    let now = now_ms();
    let ticket = accept_inbound(&site.config, inbound, new_id(now, random()?), now_iso());
    let secret = settings::secret(env)?;
    let webhook = site.config.webhook.is_some();
    let event_id = new_id(now, random()?);
    let author = Author { kind: AuthorKind::Customer, name: inbound.name.clone(), agent_id: None };
    let said = NewMessage { body: inbound.text.clone(), visibility: Visibility::Public };
    let arrival = Arrival {
        keys: inbound.keys.clone(),
        thread: inbound.thread.clone(),
        reply_to: inbound.reply_to.clone(),
        message: message(&said, author, new_id(now, random()?), now_iso()),
        new: NewRecord {
            key: inbound.keys.first().cloned().unwrap_or_default(),
            fingerprint: hash_token(&inbound.keys.join("\n")),
            access_token_hash: hash_token(&access_token(&secret, &site.id, &ticket.id)),
            spam: false,
            webhook,
            event_id: event_id.clone(),
            messages: Vec::new(),
            lead_event_id: None,
            due: due_times(now as i64, ticket.priority, &site.config.sla),
            now_ms: now,
            // The store links the conversation itself, to whichever ticket it files on.
            thread: None,
        },
        ticket: Box::new(ticket),
        event_id: event_id.clone(),
    };
    let arrived = store::site::open(env, &site.id)?.file_arrival(&arrival).await?;
    let job = match &arrived {
        Arrived::Repeat => None,
        Arrived::Created { ticket_id, created_at } => {
            Some(WebhookJob::new(event_id, &site.id, "ticket.created", ticket_id, created_at))
        }
        Arrived::Added { ticket_id, message_id, created_at } => Some(
            WebhookJob::new(event_id, &site.id, "message.created", ticket_id, created_at)
                .with_message(Some(message_id.clone())),
        ),
    };
    if let Some(job) = job.filter(|_| webhook) {
        webhooks::enqueue_later(env, ctx, job);
    }
    Ok(())
}
