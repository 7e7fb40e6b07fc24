-- Agents of a site, each with a token of their own (stored hashed), and a role: `admin` (all
-- of the site) or `agent` (works the queue). A revoked agent's token opens nothing.
CREATE TABLE agents (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id),
  name       TEXT NOT NULL,
  email      TEXT NOT NULL,
  role       TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX agents_by_site ON agents (site_id, created_at);
