//! Channels: questions asked in a site's VK community or to its Telegram bot become tickets in
//! the same queue, and agents' public replies go back where they were asked.
//!
//! This module decides everything about it without I/O: which connections a site may store
//! and what of them may be shown ([`apply`], [`view`]), what a platform's delivery means
//! ([`vk::receive`], [`telegram::receive`]: a ticket's message, a confirmation, something to
//! ignore), which deliveries are the same one (their [`Inbound::keys`]), what a reply is sent as
//! ([`reply_call`]) and what the platform's answer means ([`Outcome`]). The worker moves the
//! bytes; the site's store refuses a repeated key in the same write that files the message.

pub mod telegram;
pub mod vk;

use serde::{Deserialize, Serialize};

use crate::domain::limits::{MAX_CHANNEL_SUBJECT_CHARS, MAX_MESSAGE_CHARS};
use crate::domain::FieldError;
use crate::identity::Verified;
use crate::launch::{
    verify_ok_launch, verify_telegram, verify_telegram_third_party, verify_vk, Launched, Refused, TELEGRAM_PUBLIC_KEY,
};
use crate::triage::{Intent, Label, Triage, NOTHING_SPECIFIC};
use crate::wire::{ChannelsUpdate, ChannelsView, NewTicket, OkView, PageContext, TelegramApp, TelegramView, VkView};

/// The outbox event (and queue job) that sends an agent's reply back to the channel its ticket
/// came from: it rides the webhooks' outbox, queue and retries.
pub const REPLY_EVENT: &str = "channel.reply";

/// The VK API version Tabdesk speaks (the Callback API's events and the methods it calls).
pub const VK_API_VERSION: &str = "5.199";

/// A site's connections to social networks, as stored in the directory. Secrets are never
/// returned by the API ([`view`]) and never logged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Channels {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vk: Option<VkConnection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telegram: Option<TelegramConnection>,
    /// A Telegram Mini App of a bot Tabdesk does not run (checked by Telegram's signature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telegram_app: Option<TelegramApp>,
    /// An OK (Odnoklassniki) app: its secret key checks the `auth_sig` of its launches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<OkApp>,
}

/// An OK (Odnoklassniki) app of the site's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OkApp {
    pub app_secret: String,
}

/// Who the site's app on a social network was launched for, if `params` are launch parameters of
/// a platform the site connected: a VK Mini App (`vk_*` and `sign`, with the app's key), a
/// Telegram Mini App (`initData`: by the bot's token, or by Telegram's signature for
/// `telegram_app`), an OK app (`auth_sig`). `None` when they are none of those.
pub fn launched(channels: &Channels, params: &str, now_s: i64) -> Option<Result<Launched, Refused>> {
    let vk_key = channels.vk.as_ref().and_then(|vk| vk.app_secret.as_deref());
    let bot = channels.telegram.as_ref().map(|t| t.bot_token.as_str());
    let app = channels.telegram_app.as_ref().map(|a| a.bot_id);
    let ok = channels.ok.as_ref().map(|o| o.app_secret.as_str());
    Some(match (vk_key, bot, app, ok) {
        (Some(key), ..) if params.contains("vk_") => verify_vk(params, key, now_s),
        (_, Some(token), ..) if params.contains("hash=") => verify_telegram(params, token, now_s),
        (_, _, Some(bot_id), _) if params.contains("signature=") => {
            verify_telegram_third_party(params, bot_id, TELEGRAM_PUBLIC_KEY, now_s)
        }
        (.., Some(secret)) if params.contains("auth_sig=") => verify_ok_launch(params, secret),
        _ => return None,
    })
}

/// A VK community: its Callback API server and the token replies are sent with; optionally the
/// site's VK Mini App, whose signed launch parameters vouch for its visitors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VkConnection {
    pub group_id: i64,
    /// The string VK expects back when it confirms the server's address (not a secret: VK
    /// shows it to the community's admins, and anyone may ask for it).
    pub confirmation: String,
    /// The Callback API's secret key: every event carries it.
    pub secret: String,
    /// A community access token with the `messages`, `wall` and `manage` rights.
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<i64>,
    /// The Mini App's secure key (`core::launch::verify_vk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret: Option<String>,
}

/// A Telegram bot: its token (replies, and Mini App launch checks) and the secret Telegram
/// sends with every webhook call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelegramConnection {
    pub bot_token: String,
    pub webhook_secret: String,
}

impl TelegramConnection {
    /// The bot's id: the part of its token before the colon (public, unlike the rest).
    pub fn bot_id(&self) -> &str {
        self.bot_token.split(':').next().unwrap_or_default()
    }
}

fn invalid(errors: &mut Vec<FieldError>, field: &str, message: &str) {
    errors.push(FieldError::new(field, "invalid", message));
}

/// A secret from an update, else the one stored; a missing one is an error on `field`.
fn secret(
    errors: &mut Vec<FieldError>,
    field: &str,
    given: Option<String>,
    stored: Option<&String>,
    ok: impl Fn(&str) -> bool,
    rule: &str,
) -> String {
    match given.map(|s| s.trim().to_owned()) {
        Some(s) if ok(&s) => s,
        Some(_) => {
            invalid(errors, field, rule);
            String::new()
        }
        None => stored.cloned().unwrap_or_else(|| {
            errors.push(FieldError::new(field, "required", "Required when the channel is connected the first time."));
            String::new()
        }),
    }
}

fn plain(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A Telegram bot token as BotFather gives it: the bot's id, a colon, and 30+ characters.
fn is_bot_token(s: &str) -> bool {
    s.split_once(':').is_some_and(|(id, rest)| {
        !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) && rest.len() >= 30 && plain(rest, 100)
    })
}

/// The connections after `update` (`PUT …/channels`): a channel left out is disconnected; a
/// secret left out keeps its stored value. Errors name the field (for the site's admins, so in
/// English, as the config's are).
pub fn apply(current: &Channels, update: ChannelsUpdate) -> Result<Channels, Vec<FieldError>> {
    let mut errors = Vec::new();
    let vk = update.vk.map(|u| {
        let stored = current.vk.as_ref();
        if u.group_id <= 0 {
            invalid(&mut errors, "vk.group_id", "The community's id: a positive number (without the minus).");
        }
        if !plain(u.confirmation.trim(), 64) {
            invalid(&mut errors, "vk.confirmation", "The confirmation string VK shows in the Callback API settings.");
        }
        if u.app_id.is_some_and(|id| id <= 0) {
            invalid(&mut errors, "vk.app_id", "The Mini App's id: a positive number.");
        }
        VkConnection {
            group_id: u.group_id,
            confirmation: u.confirmation.trim().to_owned(),
            secret: secret(
                &mut errors,
                "vk.secret",
                u.secret,
                stored.map(|v| &v.secret),
                |s| plain(s, 50),
                "1-50 letters or digits, as set in the Callback API settings.",
            ),
            access_token: secret(
                &mut errors,
                "vk.access_token",
                u.access_token,
                stored.map(|v| &v.access_token),
                |s| (20..=512).contains(&s.len()) && s.chars().all(|c| c.is_ascii_graphic()),
                "The community's access token (20-512 characters, no spaces).",
            ),
            app_id: u.app_id,
            app_secret: match u.app_secret.map(|s| s.trim().to_owned()) {
                Some(s) if s.is_empty() => None,
                Some(s) if s.chars().count() <= 200 && !s.contains(char::is_whitespace) => Some(s),
                Some(_) => {
                    invalid(&mut errors, "vk.app_secret", "The Mini App's secure key, as VK shows it.");
                    None
                }
                None => stored.and_then(|v| v.app_secret.clone()),
            },
        }
    });
    let telegram = update.telegram.map(|u| {
        let stored = current.telegram.as_ref();
        TelegramConnection {
            bot_token: secret(
                &mut errors,
                "telegram.bot_token",
                u.bot_token,
                stored.map(|t| &t.bot_token),
                is_bot_token,
                "The token BotFather gave: digits, a colon, then the rest.",
            ),
            webhook_secret: secret(
                &mut errors,
                "telegram.webhook_secret",
                u.webhook_secret,
                stored.map(|t| &t.webhook_secret),
                |s| plain(s, 256) && s.len() >= 16,
                "16-256 characters: A-Z, a-z, 0-9, _ and -.",
            ),
        }
    });
    if update.telegram_app.as_ref().is_some_and(|app| app.bot_id <= 0) {
        invalid(&mut errors, "telegram_app.bot_id", "The bot's id: the number before the colon of its token.");
    }
    let ok = update.ok.map(|u| OkApp {
        app_secret: secret(
            &mut errors,
            "ok.app_secret",
            u.app_secret,
            current.ok.as_ref().map(|o| &o.app_secret),
            |s| (1..=200).contains(&s.len()) && s.chars().all(|c| c.is_ascii_graphic()),
            "The application's secret key, as OK shows it.",
        ),
    });
    if errors.is_empty() {
        Ok(Channels { vk, telegram, telegram_app: update.telegram_app, ok })
    } else {
        Err(errors)
    }
}

/// What the API shows of `channels` (`GET …/channels`): which are connected, which secrets are
/// set (never their values), and the addresses to give each platform; `origin` is the worker's.
pub fn view(channels: &Channels, origin: &str, site: &str) -> ChannelsView {
    ChannelsView {
        vk: channels.vk.as_ref().map(|v| VkView {
            group_id: v.group_id,
            confirmation: v.confirmation.clone(),
            app_id: v.app_id,
            secret_set: !v.secret.is_empty(),
            access_token_set: !v.access_token.is_empty(),
            app_secret_set: v.app_secret.is_some(),
            callback_url: format!("{origin}/v1/channels/vk/{site}"),
        }),
        telegram: channels.telegram.as_ref().map(|t| TelegramView {
            bot_id: t.bot_id().to_owned(),
            bot_token_set: !t.bot_token.is_empty(),
            webhook_secret_set: !t.webhook_secret.is_empty(),
            webhook_url: format!("{origin}/v1/channels/telegram/{site}"),
        }),
        telegram_app: channels.telegram_app.clone(),
        ok: channels.ok.as_ref().map(|o| OkView { app_secret_set: !o.app_secret.is_empty() }),
    }
}

/// Where a reply goes on its platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyTarget {
    Vk(VkTarget),
    /// A private chat with the bot (`sendMessage`), answering the customer's last message.
    Telegram {
        chat_id: i64,
        message_id: i64,
    },
}

/// Where a reply goes in a VK community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VkTarget {
    /// A community chat (`messages.send`).
    Message { peer_id: i64 },
    /// A wall post's comments (`wall.createComment`), answering a comment when there is one.
    Wall { owner_id: i64, post_id: i64, reply_to_comment: Option<i64> },
    /// A board topic (`board.createComment`).
    Board { group_id: i64, topic_id: i64 },
}

impl ReplyTarget {
    /// The channel, as tickets record it (`context.channel`).
    pub fn channel(&self) -> &'static str {
        match self {
            ReplyTarget::Vk(_) => "vk",
            ReplyTarget::Telegram { .. } => "telegram",
        }
    }
}

/// The conversation a customer whom a platform's app frame vouched for (`vk:<id>`,
/// `telegram:<id>`) can be answered in, when the site runs that platform's channel: their chat
/// with the community or the bot. Agents' replies then reach them there as well as in the tab, and
/// what they write there joins their request.
pub fn app_thread(channels: &Channels, customer: &str) -> Option<(String, ReplyTarget)> {
    let (platform, id) = customer.split_once(':')?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    match platform {
        "vk" if channels.vk.is_some() => {
            Some((format!("vk:chat:{id}"), ReplyTarget::Vk(VkTarget::Message { peer_id: id })))
        }
        "telegram" if channels.telegram.is_some() => {
            Some((format!("telegram:chat:{id}"), ReplyTarget::Telegram { chat_id: id, message_id: 0 }))
        }
        _ => None,
    }
}

/// A message that came in through a channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbound {
    /// What makes a delivery the same as an earlier one: the platform's event or update id, and
    /// the message's own id in its conversation. Any one already seen makes it a repeat.
    pub keys: Vec<String>,
    /// The conversation: a community chat, a wall post's comments, a board topic, a bot chat.
    /// Its messages go to the one ticket that is not closed.
    pub thread: String,
    pub reply_to: ReplyTarget,
    /// The customer's id in Tabdesk (`vk:123`, `telegram:456`).
    pub customer: String,
    pub name: Option<String>,
    pub text: String,
    /// Where agents can see the conversation (a wall post, a profile).
    pub link: Option<String>,
    /// Said where anyone can read it (a wall or a board), where visitors also talk to each other.
    pub public: bool,
    /// A public reply to another visitor, not to the community.
    pub to_another: bool,
}

/// The body stored for a message with no text (a sticker, a photo, a voice message): agents see
/// something came and look at it on the platform.
pub const NO_TEXT: &str = "[attachment · вложение]";

/// The message's text as stored: trimmed, cut to the longest message, or [`NO_TEXT`].
pub fn body(text: Option<&str>) -> String {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.chars().take(MAX_MESSAGE_CHARS).collect(),
        None => NO_TEXT.to_owned(),
    }
}

impl Inbound {
    /// The request a new ticket is made from: the first line as its subject, the whole text as
    /// its message, no email (replies go back through the channel).
    pub fn request(&self) -> NewTicket {
        let first_line = self.text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or(NO_TEXT);
        let mut subject: String = first_line.chars().take(MAX_CHANNEL_SUBJECT_CHARS).collect();
        if subject.chars().count() < first_line.chars().count() {
            subject.push('…');
        }
        NewTicket {
            subject,
            message: self.text.clone(),
            name: self.name.clone(),
            context: PageContext {
                page_url: self.link.clone(),
                channel: Some(self.reply_to.channel().to_owned()),
                ..PageContext::default()
            },
            ..NewTicket::default()
        }
    }

    /// Who the platform says wrote it.
    pub fn verified(&self) -> Verified {
        Verified { id: self.customer.clone(), email: None, name: self.name.clone(), fields: Default::default() }
    }

    /// Whether the company is expected to answer: on a wall or a board, a remark between visitors
    /// or one that asks, reports and complains of nothing is chatter; thanks never need an answer
    /// (triage's own rule); in a chat with the company everything else does.
    pub fn needs_response(&self, triage: &Triage) -> Label<bool> {
        let label = |value, rule: &str| Label { value, rule: rule.to_owned() };
        if !triage.needs_response.value {
            return triage.needs_response.clone();
        }
        if self.public && self.to_another {
            return label(false, "a public reply to another visitor");
        }
        if self.public && triage.intent.value == Intent::Question && triage.intent.rule == NOTHING_SPECIFIC {
            return label(false, "a public remark with no question, problem or complaint");
        }
        triage.needs_response.clone()
    }
}

/// A platform API call: a path under the platform's base URL (a worker setting, never a site's),
/// its body and the body's type. The path may hold a token (Telegram's): never log it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub path: String,
    pub body: String,
    pub content_type: &'static str,
    /// The method's name, for logs and delivery states.
    pub method: &'static str,
}

/// The call that posts `text`, the agent message `message_id`, to `target`, or `None` when the
/// site no longer has that channel connected. Sent again on a retry, it posts nothing twice
/// where the platform allows (VK's `random_id` and `guid` come from the message id).
pub fn reply_call(channels: &Channels, target: &ReplyTarget, text: &str, message_id: &str) -> Option<Call> {
    match target {
        ReplyTarget::Vk(to) => channels.vk.as_ref().map(|v| vk::reply(v, to, text, message_id)),
        ReplyTarget::Telegram { chat_id, message_id: answered } => {
            channels.telegram.as_ref().map(|t| telegram::reply(t, *chat_id, *answered, text))
        }
    }
}

/// What a platform's answer to a reply means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Posted: the platform's id of the new message or comment.
    Sent(String),
    /// Not now (the platform is down or asks to slow down): try again later.
    Retry(String),
    /// Never (no rights, the chat is gone): the agent should answer another way.
    Failed(String),
}

/// What a platform's answer to `method` means: its status and body, by the platform's rules.
pub fn outcome(target: &ReplyTarget, status: u16, body: &str) -> Outcome {
    match target {
        ReplyTarget::Vk(_) => vk::outcome(status, body),
        ReplyTarget::Telegram { .. } => telegram::outcome(status, body),
    }
}

#[cfg(test)]
mod tests;
