//! Every size and count limit of the API, in one place: the worker enforces them, the widget
//! and console respect them, and the OpenAPI document and README quote them.

/// The largest request body the API reads; larger ones are refused with 413 unread.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The largest knowledge base a publish may carry.
pub const MAX_KB_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A search query, an agent's queue search, or the query a search event reports.
pub const MAX_QUERY_CHARS: usize = 200;
/// Hits per search page: the default, and the most a client may ask for.
pub const DEFAULT_HITS: usize = 10;
pub const MAX_HITS: usize = 50;
/// Tickets per queue page: the default, and the most an agent may ask for.
pub const DEFAULT_PAGE: usize = 50;
pub const MAX_PAGE: usize = 200;

/// `Idempotency-Key`: its length, and how long the first answer to a key is replayed.
pub const MAX_KEY_CHARS: usize = 100;
pub const IDEMPOTENCY_TTL_MS: u64 = 24 * 60 * 60 * 1000;

/// How long an item the widget keeps in the host page's storage (sealed) stays readable.
pub const RELAY_TTL_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// A request's page context and its list of articles read before writing.
pub const MAX_URL_CHARS: usize = 2048;
pub const MAX_CHANNEL_CHARS: usize = 32;
pub const MAX_USER_AGENT_CHARS: usize = 512;
pub const MAX_VIEWED_ARTICLES: usize = 50;
/// The searches a request reports (the visit's last ones).
pub const MAX_SEARCHES: usize = 10;

/// Requests a widget may ask about at once (`POST /v1/tickets/summaries`).
pub const MAX_SUMMARIES: usize = 50;

/// A message of a ticket's thread (a reply or an internal note).
pub const MAX_MESSAGE_CHARS: usize = 10_000;
/// A ticket from a channel takes its subject from the message's first line, cut to this.
pub const MAX_CHANNEL_SUBJECT_CHARS: usize = 80;

/// Tags of a ticket or an article; an agent name in `assignee`.
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 40;
pub const MAX_ASSIGNEE_CHARS: usize = 100;

/// Knowledge-base articles.
pub const MAX_ARTICLES: usize = 10_000;
pub const MAX_ARTICLE_ID_CHARS: usize = 100;
pub const MAX_ARTICLE_TITLE_CHARS: usize = 200;
pub const MAX_ARTICLE_CHARS: usize = 100_000;
/// Other phrasings of an article's question (`questions` of a publish).
pub const MAX_QUESTIONS: usize = 50;
pub const MAX_QUESTION_CHARS: usize = 300;
/// Query parameters of a page address a site may keep (`privacy.page_url_params`).
pub const MAX_KEPT_PARAMS: usize = 20;

/// Site configuration.
pub const MAX_SITE_NAME_CHARS: usize = 100;
pub const MAX_ORIGINS: usize = 50;
pub const MAX_CATEGORIES: usize = 50;
pub const MAX_FIELDS: usize = 30;
pub const MAX_OPTIONS: usize = 100;
pub const MAX_KEYWORDS: usize = 200;
pub const MAX_LABEL_CHARS: usize = 200;
pub const MAX_LAUNCHER_LABEL_CHARS: usize = 40;
pub const MIN_WEBHOOK_SECRET_CHARS: usize = 16;
pub const MAX_ROUTING_RULES: usize = 100;
pub const MAX_SAVED_REPLIES: usize = 100;
/// Articles the home screen lists unless asked for another number.
pub const DEFAULT_SUGGESTED: usize = 5;
/// Articles the home screen suggests for one page, and pages with their own suggestions.
pub const MAX_FEATURED: usize = 10;
pub const MAX_FEATURED_PAGES: usize = 100;
/// A site's automatic acknowledgement or sales offer, per language.
pub const MAX_AUTO_REPLY_CHARS: usize = 2_000;
