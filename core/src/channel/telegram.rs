//! Telegram: a bot's webhook updates as tickets' messages, `/start` answered with the site's
//! greeting, and replies as `sendMessage` calls.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{body, Call, Inbound, Outcome, ReplyTarget, TelegramConnection};
use crate::domain::Locale;
use crate::i18n::bot_greeting;
use crate::token::constant_time_eq;

/// The header Telegram sends the webhook's secret in.
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// Whether a webhook call carries the bot's secret (compared in constant time).
pub fn is_from_telegram(bot: &TelegramConnection, header: Option<&str>) -> bool {
    header.is_some_and(|h| constant_time_eq(h, &bot.webhook_secret))
}

/// The part of an update Tabdesk reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    pub update_id: i64,
    #[serde(default)]
    pub message: Option<TgMessage>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TgMessage {
    pub message_id: i64,
    #[serde(default)]
    pub from: Option<User>,
    pub chat: Chat,
    #[serde(default)]
    pub text: Option<String>,
    /// A photo's or a document's text.
    #[serde(default)]
    pub caption: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub is_bot: bool,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub language_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Chat {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
}

/// What an update means.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// `/start`: greet the customer in the chat (in the webhook's answer) and file nothing.
    Start {
        chat_id: i64,
        locale: Locale,
    },
    Ignored(&'static str),
    Message(Box<Inbound>),
}

/// What `update` means: private chats with people only (groups and other bots are not
/// customers).
pub fn receive(update: &Update) -> Received {
    let Some(message) = &update.message else {
        return Received::Ignored("not a new message");
    };
    let Some(from) = message.from.as_ref().filter(|f| !f.is_bot) else {
        return Received::Ignored("not written by a person");
    };
    if message.chat.kind != "private" {
        return Received::Ignored("not a private chat");
    }
    let chat = message.chat.id;
    let text = message.text.as_deref().or(message.caption.as_deref());
    if text.is_some_and(|t| t == "/start" || t.starts_with("/start ")) {
        let locale = from.language_code.as_deref().and_then(Locale::from_tag).unwrap_or_default();
        return Received::Start { chat_id: chat, locale };
    }
    let name = [Some(from.first_name.trim()), from.last_name.as_deref().map(str::trim)]
        .into_iter()
        .flatten()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Received::Message(Box::new(Inbound {
        keys: vec![
            format!("telegram:update:{}", update.update_id),
            format!("telegram:message:{chat}:{}", message.message_id),
        ],
        thread: format!("telegram:chat:{chat}"),
        reply_to: ReplyTarget::Telegram { chat_id: chat, message_id: message.message_id },
        customer: format!("telegram:{}", from.id),
        name: Some(name).filter(|n| !n.is_empty()),
        text: body(text),
        link: from.username.as_deref().map(|u| format!("https://t.me/{u}")),
        public: false,
        to_another: false,
    }))
}

/// The webhook's answer to `/start`: Telegram runs a method given in the answer, so the
/// greeting costs no call of our own.
pub fn greeting(chat_id: i64, locale: Locale, site_name: &str, kb_url: &str) -> Value {
    json!({ "method": "sendMessage", "chat_id": chat_id, "text": bot_greeting(locale, site_name, kb_url) })
}

/// The `sendMessage` call that posts `text` in `chat_id`, as an answer to the customer's message
/// `answered` (or on its own if that message is gone, or if `answered` is 0).
pub fn reply(bot: &TelegramConnection, chat_id: i64, answered: i64, text: &str) -> Call {
    let mut body = json!({ "chat_id": chat_id, "text": text });
    if answered > 0 {
        body["reply_parameters"] = json!({ "message_id": answered, "allow_sending_without_reply": true });
    }
    Call {
        path: format!("/bot{}/sendMessage", bot.bot_token),
        body: body.to_string(),
        content_type: "application/json",
        method: "sendMessage",
    }
}

/// What the Bot API's answer means: `ok` with the sent message's id, a retry when Telegram is
/// down or asks to slow down (429), else a failure with its description (the customer blocked
/// the bot, the chat is gone).
pub fn outcome(status: u16, body: &str) -> Outcome {
    let answer: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if answer["ok"] == json!(true) {
        let id = answer["result"]["message_id"].as_i64().map(|n| n.to_string()).unwrap_or_default();
        return Outcome::Sent(id);
    }
    let why = format!(
        "Telegram {}: {}",
        answer["error_code"].as_i64().unwrap_or(i64::from(status)),
        answer["description"].as_str().unwrap_or("no description")
    );
    if status >= 500 || status == 429 || answer.is_null() {
        Outcome::Retry(why)
    } else {
        Outcome::Failed(why)
    }
}
