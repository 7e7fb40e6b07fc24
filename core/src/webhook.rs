//! Webhook payloads and their signature.
//!
//! Each delivery carries `Tabdesk-Signature: t=<unix seconds>,v1=<hex>`, where `<hex>` is
//! HMAC-SHA256 with the site's webhook secret over `"<t>.<raw body>"`. Receivers recompute it,
//! compare in constant time and reject old timestamps, which defeats replays.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::token::constant_time_eq;
use crate::wire::{Message, TicketSummary};

/// The signature header's name.
pub const SIGNATURE_HEADER: &str = "Tabdesk-Signature";
/// The event id header: the same on every retry of one event, for de-duplication.
pub const EVENT_ID_HEADER: &str = "Tabdesk-Event-Id";
/// The event type header (`ticket.created`, `ticket.updated`, `message.created`).
pub const EVENT_TYPE_HEADER: &str = "Tabdesk-Event";

/// What the queue carries: just ids, so a message never holds stale ticket data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookJob {
    pub event_id: String,
    pub site_id: String,
    pub kind: String,
    pub ticket_id: String,
    /// When the event happened; the payload carries it, so every retry sends the same body.
    pub created_at: String,
    /// The message of a `message.created` event.
    #[serde(default)]
    pub message_id: Option<String>,
}

impl WebhookJob {
    pub fn new(event_id: String, site_id: &str, kind: &str, ticket_id: &str, created_at: &str) -> WebhookJob {
        WebhookJob {
            event_id,
            site_id: site_id.to_owned(),
            kind: kind.to_owned(),
            ticket_id: ticket_id.to_owned(),
            created_at: created_at.to_owned(),
            message_id: None,
        }
    }

    /// The job of a `message.created` event.
    pub fn with_message(self, message_id: Option<String>) -> WebhookJob {
        WebhookJob { message_id, ..self }
    }
}

/// The JSON body POSTed to the site's webhook URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookPayload {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub site: String,
    pub created_at: String,
    pub ticket: TicketSummary,
    /// The public message of a `message.created` event (internal notes are never sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

fn mac(secret: &str, timestamp: u64, body: &str) -> String {
    // HMAC takes keys of any length: the error case cannot happen, and would only give an
    // empty signature that no receiver accepts.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{timestamp}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Tabdesk-Signature` value for `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: u64, body: &str) -> String {
    format!("t={timestamp},v1={}", mac(secret, timestamp, body))
}

/// Checks a `Tabdesk-Signature` value: right secret and body, and not older than `tolerance`
/// seconds at `now`.
pub fn verify(secret: &str, header: &str, body: &str, now: u64, tolerance: u64) -> bool {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<u64>().ok(),
            Some(("v1", s)) => signature = Some(s),
            _ => {}
        }
    }
    match (timestamp, signature) {
        (Some(t), Some(s)) => now.abs_diff(t) <= tolerance && constant_time_eq(s, &mac(secret, t, body)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_expire() {
        let header = sign("0123456789abcdef", 1_700_000_000, "{\"a\":1}");
        assert!(header.starts_with("t=1700000000,v1="));
        assert!(verify("0123456789abcdef", &header, "{\"a\":1}", 1_700_000_100, 300));
        assert!(!verify("0123456789abcdef", &header, "{\"a\":2}", 1_700_000_100, 300));
        assert!(!verify("another-secret-xx", &header, "{\"a\":1}", 1_700_000_100, 300));
        assert!(!verify("0123456789abcdef", &header, "{\"a\":1}", 1_700_001_000, 300));
        assert!(!verify("0123456789abcdef", "garbage", "{\"a\":1}", 1_700_000_000, 300));
    }
}
