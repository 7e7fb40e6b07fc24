-- Hardening: honeypot catches kept as spam, webhook jobs that could not be queued found again,
-- knowledge-base publishes compared and swapped, and no customer access token kept in plaintext
-- (tokens are derived from the worker's TABDESK_SECRET; only their hashes are stored).

-- Requests that filled the honeypot: stored, hidden from the queue (`?spam=true` shows them).
ALTER TABLE tickets ADD COLUMN spam INTEGER NOT NULL DEFAULT 0;

-- Webhook state of an event: NULL (the site had no webhook), 'pending' (to be queued; the
-- scheduled sweep queues what is still pending after a minute), 'queued'.
ALTER TABLE events ADD COLUMN webhook TEXT;
CREATE INDEX events_pending_webhooks ON events (webhook, created_at) WHERE webhook = 'pending';

-- The knowledge-base version a publish replaced, per site: two publishes from the same version
-- cannot both land (the second fails on the primary key and changes nothing).
CREATE TABLE kb_publishes (
  site_id      TEXT NOT NULL,
  base_version TEXT NOT NULL,             -- '' before the first publish
  version      TEXT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY (site_id, base_version)
);

-- Replays recompute the access token; purging expired keys needs their age.
ALTER TABLE idempotency DROP COLUMN access_token;
CREATE INDEX idempotency_by_age ON idempotency (created_at);
