-- Channels: a site's connections to its VK community and Telegram bot (tabdesk_core::channel::
-- Channels as JSON). Secrets sit here, apart from the site's config, and the API never returns
-- them. What comes in through a channel is stored in the site's own store.
CREATE TABLE channels (
  site_id    TEXT PRIMARY KEY REFERENCES sites(id),
  config     TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
