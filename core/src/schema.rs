//! The schema of a site's store (its Durable Object's SQLite), as numbered steps. The object
//! applies, in its constructor, every step above the version its `meta` table records, and
//! records the new version with each step; each step is written so that running it twice
//! changes nothing, and a step, once released, never changes: a new need is a new step. The
//! steps are plain SQL data (core runs nothing); the one runner is [`upgrade`], over whatever
//! executes SQL.
//!
//! The version is a row of `meta`, not `PRAGMA user_version`: Durable Objects' SQLite refuses
//! that pragma (`SQLITE_AUTH`).

/// Step `n` (from 1) is `SITE_STORE[n - 1]`: statements separated by `;`.
pub const SITE_STORE: &[&str] = &[
    // 1: tickets with their idempotency keys and per-site numbers, events (statistics and the
    // webhook outbox), webhook deliveries, the published knowledge base and its versions.
    "CREATE TABLE IF NOT EXISTS tickets (
       id TEXT PRIMARY KEY, site_id TEXT NOT NULL, number INTEGER NOT NULL UNIQUE, subject TEXT NOT NULL,
       message TEXT NOT NULL, email TEXT NOT NULL, name TEXT, category TEXT, fields TEXT NOT NULL,
       context TEXT NOT NULL, viewed_articles TEXT NOT NULL, locale TEXT NOT NULL, status TEXT NOT NULL,
       priority TEXT NOT NULL, topic TEXT NOT NULL, needs_response INTEGER NOT NULL, sales_lead INTEGER NOT NULL,
       triage TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]', assignee TEXT, updated_at TEXT NOT NULL,
       access_token_hash TEXT NOT NULL, created_at TEXT NOT NULL, spam INTEGER NOT NULL DEFAULT 0);
     CREATE TABLE IF NOT EXISTS idempotency (
       site_id TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL, ticket_id TEXT NOT NULL,
       created_at INTEGER NOT NULL, PRIMARY KEY (site_id, key));
     CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency (created_at);
     CREATE TABLE IF NOT EXISTS events (
       id TEXT PRIMARY KEY, site_id TEXT NOT NULL, kind TEXT NOT NULL, ticket_id TEXT, article_id TEXT,
       data TEXT, created_at TEXT NOT NULL, webhook TEXT);
     CREATE INDEX IF NOT EXISTS events_by_kind ON events (kind, created_at);
     CREATE INDEX IF NOT EXISTS events_pending_webhooks ON events (webhook, created_at) WHERE webhook = 'pending';
     CREATE TABLE IF NOT EXISTS webhook_deliveries (event_id TEXT PRIMARY KEY, delivered_at TEXT NOT NULL);
     CREATE TABLE IF NOT EXISTS kb_articles (
       site_id TEXT NOT NULL, id TEXT NOT NULL, locale TEXT NOT NULL, title TEXT NOT NULL, html TEXT NOT NULL,
       tags TEXT NOT NULL, category TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (site_id, locale, id));
     CREATE TABLE IF NOT EXISTS kb_publishes (
       site_id TEXT NOT NULL, base_version TEXT NOT NULL, version TEXT NOT NULL, published_at TEXT NOT NULL,
       PRIMARY KEY (site_id, base_version))",
    // 2: the queue's own index (newest first, spam apart, by status).
    "CREATE INDEX IF NOT EXISTS tickets_by_queue ON tickets (spam, status, id DESC)",
    // 3: threads. The request itself becomes each existing ticket's first public message; replies
    // and notes follow, each once per idempotency key.
    "CREATE TABLE IF NOT EXISTS messages (
       id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, author_kind TEXT NOT NULL, author_name TEXT,
       author_id TEXT, body TEXT NOT NULL, visibility TEXT NOT NULL, created_at TEXT NOT NULL);
     CREATE INDEX IF NOT EXISTS messages_by_ticket ON messages (ticket_id, created_at, id);
     INSERT OR IGNORE INTO messages (id, ticket_id, author_kind, author_name, body, visibility, created_at)
       SELECT id, id, 'customer', name, message, 'public', created_at FROM tickets;
     CREATE TABLE IF NOT EXISTS ticket_search (ticket_id TEXT PRIMARY KEY, text TEXT NOT NULL);
     INSERT OR IGNORE INTO ticket_search (ticket_id, text)
       SELECT id, lower(subject || ' ' || message || ' ' || email) FROM tickets;
     CREATE TABLE IF NOT EXISTS message_keys (
       key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, message_id TEXT NOT NULL, created_at INTEGER NOT NULL)",
    // 4: what service levels and statistics read of a ticket besides its row: the searches before
    // it, its first response, when it was solved (kept as they happen; filled in for existing
    // tickets from their threads and statuses), when both are due (ms; computed by core when the
    // ticket is written or its priority changes, so unknown for existing tickets), and the
    // tickets by creation time.
    "CREATE TABLE IF NOT EXISTS ticket_facts (
       ticket_id TEXT PRIMARY KEY, searches TEXT NOT NULL DEFAULT '[]', first_response_at TEXT, solved_at TEXT,
       first_response_due INTEGER, resolution_due INTEGER);
     INSERT OR IGNORE INTO ticket_facts (ticket_id, first_response_at, solved_at)
       SELECT t.id,
              (SELECT min(m.created_at) FROM messages m
                WHERE m.ticket_id = t.id AND m.author_kind = 'agent' AND m.visibility = 'public'),
              CASE WHEN t.status IN ('solved', 'closed') THEN t.updated_at END
       FROM tickets t;
     CREATE INDEX IF NOT EXISTS tickets_by_created ON tickets (spam, created_at)",
    // Who the site's signed token said the customer was (`identity::Verified`, JSON), by the
    // site's own customer id.
    "CREATE TABLE IF NOT EXISTS ticket_verified (
       ticket_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, verified TEXT NOT NULL);
     CREATE INDEX IF NOT EXISTS verified_by_customer ON ticket_verified (customer_id)",
    // Channels: every key of a platform's delivery seen (event and message ids; a repeat is
    // refused by the primary key), which ticket each conversation is on and how to answer its
    // latest message, and agents' replies on their way back (`state`: pending, sent, failed).
    "CREATE TABLE IF NOT EXISTS channel_keys (key TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, created_at INTEGER NOT NULL);
     CREATE TABLE IF NOT EXISTS channel_threads (
       thread TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, reply_to TEXT NOT NULL, updated_at INTEGER NOT NULL);
     CREATE INDEX IF NOT EXISTS channel_threads_by_ticket ON channel_threads (ticket_id, updated_at);
     CREATE TABLE IF NOT EXISTS deliveries (
       message_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, channel TEXT NOT NULL, reply_to TEXT NOT NULL,
       state TEXT NOT NULL, detail TEXT, sent_id TEXT, attempts INTEGER NOT NULL, updated_at TEXT NOT NULL)",
];

/// The version a store has once every step is applied.
pub fn latest() -> u32 {
    SITE_STORE.len() as u32
}

/// The table of the store's own facts (its site, its schema version); it exists before any
/// step, so the version can always be read.
pub const META: &str = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

/// Reads the recorded version (a row `version`, absent in a new store: version 0).
pub const VERSION: &str = "SELECT CAST(value AS INTEGER) AS version FROM meta WHERE key = 'schema_version'";

/// Brings a store at `current` up to [`latest`]: each statement of each later step goes to
/// `exec`, then the step's number is recorded in `meta`. Returns the version reached, or the
/// first error (later steps are not tried).
pub fn upgrade<E>(current: u32, mut exec: impl FnMut(&str) -> Result<(), E>) -> Result<u32, E> {
    let mut version = current;
    for (n, step) in SITE_STORE.iter().enumerate().skip(current as usize) {
        for statement in step.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            exec(statement)?;
        }
        version = n as u32 + 1;
        exec(&format!(
            "INSERT INTO meta (key, value) VALUES ('schema_version', '{version}')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ))?;
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(db: &rusqlite::Connection, from: u32) -> u32 {
        upgrade(from, |sql| db.execute_batch(sql)).unwrap()
    }

    fn version(db: &rusqlite::Connection) -> u32 {
        db.query_row(VERSION, [], |r| r.get(0)).unwrap_or(0)
    }

    #[test]
    fn a_store_made_at_the_first_version_is_upgraded_with_its_data() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch(META).unwrap();
        assert_eq!(version(&db), 0, "a new store");
        let first = upgrade(0, |sql| {
            if sql.contains("tickets_by_queue") {
                return Err("stop");
            }
            db.execute_batch(sql).unwrap();
            Ok(())
        });
        assert_eq!(first, Err("stop"), "step 2 was not applied");
        assert_eq!(version(&db), 1);
        db.execute_batch(
            "INSERT INTO tickets (id, site_id, number, subject, message, email, fields, context, viewed_articles,
               locale, status, priority, topic, needs_response, sales_lead, triage, updated_at, access_token_hash,
               created_at) VALUES ('t1', 'demo', 1001, 'Kept', 'm', 'a@example.com', '{}', '{}', '[]', 'en', 'new',
               'normal', 'general', 1, 0, '{}', 'now', 'h', 'now')",
        )
        .unwrap();
        assert_eq!(apply(&db, version(&db)), latest());
        assert_eq!(version(&db), latest());
        let subject: String = db.query_row("SELECT subject FROM tickets WHERE id = 't1'", [], |r| r.get(0)).unwrap();
        assert_eq!(subject, "Kept");
        let index: i64 = db
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'tickets_by_queue'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(index, 1);
        // Running every step again changes nothing.
        assert_eq!(apply(&db, 0), latest());
        assert_eq!(apply(&db, latest()), latest(), "nothing left to do");
    }
}
