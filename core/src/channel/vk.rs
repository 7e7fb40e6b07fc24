//! VK: the Callback API's events (API 5.199) as tickets' messages, and replies as the methods
//! that post them. Only what VK documents is read; anything else is ignored with a reason.

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{body, Call, Inbound, Outcome, ReplyTarget, VkConnection, VkTarget, VK_API_VERSION};
use crate::token::constant_time_eq;

/// A Callback API request's body.
#[derive(Debug, Clone, Deserialize)]
pub struct Callback {
    #[serde(rename = "type")]
    pub kind: String,
    pub group_id: i64,
    /// The same on VK's retries of one event.
    #[serde(default)]
    pub event_id: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub object: Value,
}

/// What to answer VK and what to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// `confirmation`: answer the community's string as text.
    Confirm(String),
    /// The secret or the community is wrong: 403, nothing stored.
    Refused,
    /// Answer `ok` and keep nothing (the reason goes to the log).
    Ignored(&'static str),
    /// Answer `ok` once this is filed.
    Message(Box<Inbound>),
}

fn int(object: &Value, key: &str) -> Option<i64> {
    object.get(key).and_then(Value::as_i64)
}

fn text(object: &Value) -> String {
    body(object.get("text").and_then(Value::as_str))
}

/// What `callback` means for the community `vk`.
pub fn receive(vk: &VkConnection, callback: &Callback) -> Received {
    if callback.group_id != vk.group_id {
        return Received::Refused;
    }
    if callback.kind == "confirmation" {
        return Received::Confirm(vk.confirmation.clone());
    }
    if !callback.secret.as_deref().is_some_and(|s| constant_time_eq(s, &vk.secret)) {
        return Received::Refused;
    }
    let Some(event) = callback.event_id.as_deref().filter(|e| !e.is_empty() && e.len() <= 100) else {
        return Received::Ignored("an event without an event_id");
    };
    let event_key = format!("vk:event:{event}");
    let object = &callback.object;
    let community = -vk.group_id;
    // Only people become customers: the community's own posts and replies, and other
    // communities', are not requests.
    let Some(from) = int(if callback.kind == "message_new" { &object["message"] } else { object }, "from_id") else {
        return Received::Ignored("an event without from_id");
    };
    if from <= 0 {
        return Received::Ignored("written by a community");
    }
    let mut inbound = Inbound {
        keys: vec![event_key],
        thread: String::new(),
        reply_to: ReplyTarget::Vk(VkTarget::Message { peer_id: from }),
        customer: format!("vk:{from}"),
        name: None,
        text: String::new(),
        link: Some(format!("https://vk.com/id{from}")),
        public: true,
        to_another: false,
    };
    match callback.kind.as_str() {
        "message_new" => {
            let message = &object["message"];
            let (Some(peer), Some(id)) =
                (int(message, "peer_id"), int(message, "conversation_message_id").or_else(|| int(message, "id")))
            else {
                return Received::Ignored("a message without peer_id or its id");
            };
            inbound.keys.push(format!("vk:message:{peer}:{id}"));
            inbound.thread = format!("vk:chat:{peer}");
            inbound.reply_to = ReplyTarget::Vk(VkTarget::Message { peer_id: peer });
            inbound.text = text(message);
            inbound.public = false;
        }
        "wall_reply_new" => {
            let (Some(owner), Some(post), Some(id)) = (
                int(object, "post_owner_id").or_else(|| int(object, "owner_id")),
                int(object, "post_id"),
                int(object, "id"),
            ) else {
                return Received::Ignored("a comment without its post or id");
            };
            inbound.keys.push(format!("vk:comment:{owner}_{post}_{id}"));
            inbound.thread = format!("vk:wall:{owner}_{post}");
            inbound.reply_to =
                ReplyTarget::Vk(VkTarget::Wall { owner_id: owner, post_id: post, reply_to_comment: Some(id) });
            inbound.text = text(object);
            inbound.link = Some(format!("https://vk.com/wall{owner}_{post}?reply={id}"));
            inbound.to_another = int(object, "reply_to_user").is_some_and(|u| u > 0 && u != community);
        }
        "wall_post_new" => {
            let (Some(owner), Some(id)) = (int(object, "owner_id"), int(object, "id")) else {
                return Received::Ignored("a post without its owner or id");
            };
            if int(object, "created_by").is_some() {
                return Received::Ignored("posted by the community's admins");
            }
            inbound.keys.push(format!("vk:post:{owner}_{id}"));
            inbound.thread = format!("vk:wall:{owner}_{id}");
            inbound.reply_to = ReplyTarget::Vk(VkTarget::Wall { owner_id: owner, post_id: id, reply_to_comment: None });
            inbound.text = text(object);
            inbound.link = Some(format!("https://vk.com/wall{owner}_{id}"));
        }
        "board_post_new" => {
            let (Some(owner), Some(topic), Some(id)) =
                (int(object, "topic_owner_id"), int(object, "topic_id"), int(object, "id"))
            else {
                return Received::Ignored("a board post without its topic or id");
            };
            inbound.keys.push(format!("vk:board:{owner}_{topic}_{id}"));
            inbound.thread = format!("vk:board:{owner}_{topic}");
            inbound.reply_to = ReplyTarget::Vk(VkTarget::Board { group_id: -owner, topic_id: topic });
            inbound.text = text(object);
            inbound.link = Some(format!("https://vk.com/topic{owner}_{topic}?post={id}"));
        }
        _ => return Received::Ignored("an event type Tabdesk does not take"),
    }
    Received::Message(Box::new(inbound))
}

/// VK's `random_id` for the agent message `message_id`: the same on every retry, so VK posts
/// it once (VK keeps them for an hour); a positive 31-bit number.
pub fn random_id(message_id: &str) -> i64 {
    let digest = Sha256::digest(message_id.as_bytes());
    i64::from(u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) & 0x7fff_ffff)
}

/// The method call that posts `text` to `target` as the community.
pub fn reply(vk: &VkConnection, target: &VkTarget, text: &str, message_id: &str) -> Call {
    let mut form = form_urlencoded::Serializer::new(String::new());
    let method = match *target {
        VkTarget::Wall { owner_id, post_id, reply_to_comment } => {
            form.append_pair("owner_id", &owner_id.to_string())
                .append_pair("post_id", &post_id.to_string())
                .append_pair("from_group", &vk.group_id.to_string())
                .append_pair("guid", message_id);
            if let Some(comment) = reply_to_comment {
                form.append_pair("reply_to_comment", &comment.to_string());
            }
            "wall.createComment"
        }
        VkTarget::Board { group_id, topic_id } => {
            form.append_pair("group_id", &group_id.to_string())
                .append_pair("topic_id", &topic_id.to_string())
                .append_pair("from_group", "1")
                .append_pair("guid", message_id);
            "board.createComment"
        }
        VkTarget::Message { peer_id } => {
            form.append_pair("peer_id", &peer_id.to_string())
                .append_pair("random_id", &random_id(message_id).to_string());
            "messages.send"
        }
    };
    form.append_pair("message", text).append_pair("access_token", &vk.access_token).append_pair("v", VK_API_VERSION);
    Call {
        path: format!("/method/{method}"),
        body: form.finish(),
        content_type: "application/x-www-form-urlencoded",
        method,
    }
}

/// VK's error codes that pass: unknown, too many requests, flood control, internal.
const TRANSIENT: &[i64] = &[1, 6, 9, 10];

/// What VK's answer means: `{"response": …}` is posted (a message id, or an object with
/// `comment_id`), `{"error": …}` is a retry or a failure by its code.
pub fn outcome(status: u16, body: &str) -> Outcome {
    if status >= 500 || status == 429 {
        return Outcome::Retry(format!("VK answered {status}"));
    }
    let Ok(answer) = serde_json::from_str::<Value>(body) else {
        return Outcome::Retry(format!("VK answered {status} with no JSON"));
    };
    if let Some(response) = answer.get("response") {
        let id = response.as_i64().or_else(|| int(response, "comment_id")).map(|n| n.to_string());
        return Outcome::Sent(id.unwrap_or_default());
    }
    let code = int(&answer["error"], "error_code").unwrap_or(0);
    let message = answer["error"]["error_msg"].as_str().unwrap_or("no message");
    let why = format!("VK error {code}: {message}");
    if TRANSIENT.contains(&code) {
        Outcome::Retry(why)
    } else {
        Outcome::Failed(why)
    }
}
