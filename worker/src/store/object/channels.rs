//! Channels in a site's store: the keys that make a platform's delivery the same one (a repeat
//! is refused by inserting each key only if absent, in the write that files the message), which
//! ticket each conversation is on, and agents' replies on their way back.

use serde::Deserialize;
use tabdesk_core::channel::ReplyTarget;
use tabdesk_core::domain::TicketStatus;
use tabdesk_core::ticket::status_after;
use tabdesk_core::wire::{Delivery, DeliveryState, Message};
use worker::Result;

use super::tickets::{self, stored, to_stored};
use super::Db;
use crate::store::protocol::{Arrival, Arrived, Inserted, MessageEvents, Reply};

/// Files `arrival` in one synchronous run (nothing else runs between its statements, which
/// commit together): each of its keys is inserted only if absent, and a key already there makes
/// it a repeat, the keys this run inserted taken back. Then the message goes on its
/// conversation's ticket unless that is closed, else it becomes a new ticket that the
/// conversation moves to.
pub fn file(db: &Db, site: &str, arrival: &Arrival) -> Result<Arrived> {
    #[derive(Deserialize)]
    struct Open {
        id: String,
        status: String,
    }
    let open: Option<Open> = db.first(
        "SELECT t.id, t.status FROM channel_threads c JOIN tickets t ON t.id = c.ticket_id
         WHERE c.thread = ? AND t.status != 'closed'",
        vec![arrival.thread.as_str().into()],
    )?;
    let ticket_id = open.as_ref().map_or(arrival.ticket.id.as_str(), |o| o.id.as_str());
    let now = arrival.new.now_ms as i64;
    let mut taken: Vec<&str> = Vec::new();
    for key in &arrival.keys {
        let written = db
            .exec(
                "INSERT INTO channel_keys (key, ticket_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
                vec![key.as_str().into(), ticket_id.into(), now.into()],
            )?
            .rows_written();
        if written == 0 {
            for key in taken {
                db.exec("DELETE FROM channel_keys WHERE key = ?", vec![key.into()])?;
            }
            return Ok(Arrived::Repeat);
        }
        taken.push(key);
    }
    if let Some(open) = open {
        let current = TicketStatus::parse(&open.status).unwrap_or(TicketStatus::Open);
        let events = MessageEvents {
            event_id: arrival.event_id.clone(),
            reply_event_id: String::new(),
            webhook: arrival.new.webhook,
        };
        let status = status_after(current, &arrival.message);
        tickets::add_message(db, site, &open.id, &arrival.message, None, status, &events)?;
        // Answered from now on as its latest message says.
        link(db, &arrival.thread, &arrival.reply_to, &open.id, now)?;
        return Ok(Arrived::Added {
            ticket_id: open.id,
            message_id: arrival.message.id.clone(),
            created_at: arrival.message.created_at.clone(),
        });
    }
    let mut new = arrival.new.clone();
    new.thread = Some((arrival.thread.clone(), arrival.reply_to.clone()));
    if let Inserted::KeyTaken(_) = tickets::insert(db, site, &arrival.ticket, &new)? {
        // Its first key filed a ticket before (within the idempotency window): a repeat after all.
        return Ok(Arrived::Repeat);
    }
    Ok(Arrived::Created { ticket_id: arrival.ticket.id.clone(), created_at: arrival.ticket.created_at.clone() })
}

/// Puts the conversation `thread` on `ticket_id` (a new ticket takes it over from a closed one),
/// answered as `reply_to` says.
pub fn link(db: &Db, thread: &str, reply_to: &ReplyTarget, ticket_id: &str, now: i64) -> Result<()> {
    db.exec(
        "INSERT INTO channel_threads (thread, ticket_id, reply_to, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (thread) DO UPDATE SET ticket_id = excluded.ticket_id, reply_to = excluded.reply_to,
           updated_at = excluded.updated_at",
        vec![thread.into(), ticket_id.into(), to_stored(reply_to)?.into(), now.into()],
    )?;
    Ok(())
}

/// Queues the agent's public `message` on `ticket_id` to go back to the channel the ticket's
/// conversation is on (its latest message), if it has one.
pub fn queue_reply(db: &Db, ticket_id: &str, message: &Message) -> Result<Option<Delivery>> {
    #[derive(Deserialize)]
    struct Target {
        reply_to: String,
    }
    let Some(target) = db.first::<Target>(
        "SELECT reply_to FROM channel_threads WHERE ticket_id = ? ORDER BY updated_at DESC LIMIT 1",
        vec![ticket_id.into()],
    )?
    else {
        return Ok(None);
    };
    let reply_to: ReplyTarget = stored("reply target", &target.reply_to)?;
    db.exec(
        "INSERT INTO deliveries (message_id, ticket_id, channel, reply_to, state, attempts, updated_at)
         VALUES (?, ?, ?, ?, 'pending', 0, ?)",
        vec![
            message.id.as_str().into(),
            ticket_id.into(),
            reply_to.channel().into(),
            target.reply_to.as_str().into(),
            message.created_at.as_str().into(),
        ],
    )?;
    Ok(Some(Delivery { channel: reply_to.channel().to_owned(), state: DeliveryState::Pending, detail: None }))
}

/// The reply `message_id` with where it goes and how far it got.
pub fn find_reply(db: &Db, message_id: &str) -> Result<Option<Reply>> {
    #[derive(Deserialize)]
    struct Row {
        reply_to: String,
        body: String,
        state: String,
        attempts: i64,
    }
    let Some(row) = db.first::<Row>(
        "SELECT d.reply_to, m.body, d.state, d.attempts FROM deliveries d JOIN messages m ON m.id = d.message_id
         WHERE d.message_id = ?",
        vec![message_id.into()],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Reply {
        reply_to: stored("reply target", &row.reply_to)?,
        body: row.body,
        state: DeliveryState::parse(&row.state).unwrap_or(DeliveryState::Failed),
        attempts: row.attempts,
    }))
}

/// Records a try of the reply `message_id` and where it got; a reply sent or failed for good
/// also ends its outbox event `event_id`.
pub fn mark_reply(
    db: &Db,
    message_id: &str,
    state: DeliveryState,
    detail: Option<&str>,
    sent_id: Option<&str>,
    event_id: Option<&str>,
    at: &str,
) -> Result<()> {
    db.exec(
        "UPDATE deliveries SET state = ?, detail = ?, sent_id = coalesce(?, sent_id), attempts = attempts + 1,
           updated_at = ? WHERE message_id = ?",
        vec![state.as_str().into(), detail.into(), sent_id.into(), at.into(), message_id.into()],
    )?;
    if let Some(event) = event_id.filter(|_| state != DeliveryState::Pending) {
        tickets::mark_delivered(db, event, at)?;
    }
    Ok(())
}
