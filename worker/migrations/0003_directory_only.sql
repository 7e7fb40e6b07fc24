-- Storage per site: each site's tickets, keys, events, webhook deliveries and knowledge base
-- move to its own Durable Object (SiteStore, with SQLite storage; its schema is
-- tabdesk_core::schema, applied by the object itself). D1 keeps only the directory: sites,
-- their hashed tokens, and the counts each store pushes for the operator.
-- Data of these tables is not carried over (no deployment holds any yet).

DROP TABLE IF EXISTS tickets;
DROP TABLE IF EXISTS idempotency;
DROP TABLE IF EXISTS events;
DROP TABLE IF EXISTS webhook_deliveries;
DROP TABLE IF EXISTS kb_articles;
DROP TABLE IF EXISTS kb_publishes;
ALTER TABLE sites DROP COLUMN next_number;
CREATE INDEX sites_by_token ON sites (admin_token_hash);

CREATE TABLE site_stats (
  site_id      TEXT PRIMARY KEY REFERENCES sites(id),
  tickets      INTEGER NOT NULL,
  open_tickets INTEGER NOT NULL,
  spam         INTEGER NOT NULL,
  articles     INTEGER NOT NULL,
  updated_at   TEXT NOT NULL
);
