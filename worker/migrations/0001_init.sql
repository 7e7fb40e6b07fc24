-- Sites (tenants). `config` is the SiteConfig JSON of tabdesk-core. Tokens are stored hashed.
CREATE TABLE sites (
  id               TEXT PRIMARY KEY,
  config           TEXT NOT NULL,
  admin_token_hash TEXT NOT NULL,
  next_number      INTEGER NOT NULL DEFAULT 1001,  -- four digits look like a real queue from day one
  created_at       TEXT NOT NULL
);

CREATE TABLE tickets (
  id                TEXT PRIMARY KEY,       -- ULID: sorts by creation time
  site_id           TEXT NOT NULL REFERENCES sites(id),
  number            INTEGER NOT NULL,
  subject           TEXT NOT NULL,
  message           TEXT NOT NULL,
  email             TEXT NOT NULL,
  name              TEXT,
  category          TEXT,
  fields            TEXT NOT NULL,          -- JSON object: the category's visible fields
  context           TEXT NOT NULL,          -- JSON PageContext
  viewed_articles   TEXT NOT NULL,          -- JSON array of article ids
  locale            TEXT NOT NULL,
  status            TEXT NOT NULL,
  priority          TEXT NOT NULL,
  topic             TEXT NOT NULL,
  needs_response    INTEGER NOT NULL,
  sales_lead        INTEGER NOT NULL,
  triage            TEXT NOT NULL,          -- JSON Triage: every label with its rule
  tags              TEXT NOT NULL DEFAULT '[]',  -- JSON array, set by agents
  assignee          TEXT,
  updated_at        TEXT NOT NULL,
  access_token_hash TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  UNIQUE (site_id, number)
);
CREATE INDEX tickets_by_site ON tickets (site_id, id DESC);
CREATE INDEX tickets_by_status ON tickets (site_id, status, id DESC);

-- First response of each Idempotency-Key, replayed for 24 hours. The access token is kept so
-- that a replay returns the same body; rows older than a day are ignored and may be purged.
CREATE TABLE idempotency (
  site_id      TEXT NOT NULL,
  key          TEXT NOT NULL,
  body_hash    TEXT NOT NULL,
  ticket_id    TEXT NOT NULL,
  access_token TEXT NOT NULL,
  created_at   INTEGER NOT NULL,            -- unix ms
  PRIMARY KEY (site_id, key)
);

-- What happened (an outbox): webhooks are sent from here, statistics are counted from here.
CREATE TABLE events (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL,
  kind       TEXT NOT NULL,               -- ticket.created, ticket.updated, search, article_view, kb.helpful, ...
  ticket_id  TEXT,
  article_id TEXT,
  data       TEXT,                        -- JSON details (a search's query and result count)
  created_at TEXT NOT NULL
);
CREATE INDEX events_by_site ON events (site_id, kind, created_at);

-- Webhook deliveries that succeeded, so a redelivered queue message is not sent twice.
CREATE TABLE webhook_deliveries (
  event_id     TEXT PRIMARY KEY,
  delivered_at TEXT NOT NULL
);

-- The published knowledge base; the search index built from it lives in KV.
CREATE TABLE kb_articles (
  site_id    TEXT NOT NULL,
  id         TEXT NOT NULL,
  locale     TEXT NOT NULL,
  title      TEXT NOT NULL,
  html       TEXT NOT NULL,                 -- sanitized at publish time
  tags       TEXT NOT NULL,                 -- JSON array
  category   TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (site_id, locale, id)
);
