//! The widget's wire types as [`Json`]: each impl mirrors the type's serde attributes (checked
//! against serde_json in `tests`).

use super::{FromJson, Json, Key, ToJson};
use crate::config::{
    Category, Choice, ColorMode, Condition, FieldDef, FieldKind, FormSchema, LauncherIcon, PublicConfig, Side, Theme,
    WidgetConfig,
};
use crate::domain::{FieldError, Locale, TicketStatus};
use crate::wire::{
    Author, AuthorKind, CustomerSummary, CustomerTicket, Delivery, DeliveryState, EmbedBoot, EmbedMode, HostEvent,
    HostMessage, KbArticle, KbFeedback, LaunchedVisitor, Message, Mine, MineRequest, NewMessage, NewTicket, OwnTicket,
    PageContext, Problem, RelayKey, RelayKeyRequest, SearchHit, SearchResults, Summaries, SummariesRequest,
    TicketCreated, TicketRef, Visibility, WidgetEvent, WidgetEventKind, WidgetMessage,
};

/// Enums of unit variants named in lowercase (serde's `rename_all`), for the types that have no
/// `as_str` of their own.
macro_rules! json_unit {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Option<Self> {
                match json.as_str()? {
                    $($name => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }

        impl ToJson for $ty {
            fn to_json(&self) -> Json {
                Json::String(match self { $($ty::$variant => $name,)* }.to_owned())
            }
        }
    };
}

json_names!(TicketStatus, DeliveryState, WidgetEventKind);
json_unit!(EmbedMode { Frame => "frame", Page => "page" });
json_unit!(ColorMode { Auto => "auto", Light => "light", Dark => "dark" });
json_unit!(Side { Right => "right", Left => "left" });
json_unit!(LauncherIcon { Chat => "chat", Help => "help", None => "none" });
json_unit!(Visibility { Public => "public", Internal => "internal" });
json_unit!(AuthorKind { Customer => "customer", Agent => "agent", System => "system" });

/// Exactly the tag serde writes (`en`), not the lenient reading of a browser's (`from_tag`).
impl Key for Locale {
    fn from_key(key: &str) -> Option<Self> {
        Locale::ALL.into_iter().find(|l| l.tag() == key)
    }

    fn key(&self) -> &str {
        self.tag()
    }
}

impl FromJson for Locale {
    fn from_json(json: &Json) -> Option<Self> {
        Locale::from_key(json.as_str()?)
    }
}

impl ToJson for Locale {
    fn to_json(&self) -> Json {
        Json::String(self.tag().to_owned())
    }
}

impl FromJson for FieldKind {
    fn from_json(json: &Json) -> Option<Self> {
        let tag = json.as_str()?;
        FieldKind::ALL.into_iter().find(|k| k.tag() == tag)
    }
}

impl ToJson for FieldKind {
    fn to_json(&self) -> Json {
        Json::String(self.tag().to_owned())
    }
}

json_object!(EmbedBoot {
    config,
    locale,
    mode,
    parent_origin,
    channel = default,
    launched = default,
    telegram_app = default,
    reply_note = default,
});
json_object!(LaunchedVisitor { platform, name });
json_object!(WidgetConfig {
    site,
    name,
    accent,
    accent_text,
    mode,
    channels,
    form,
    turnstile_site_key,
    identity_required,
});
json_object!(PublicConfig {
    site,
    name,
    locales,
    default_locale,
    launcher_label,
    theme,
    channels,
    form,
    min_fill_ms,
    turnstile_site_key,
    identity_required,
    accent_text,
    reply_minutes,
    business_hours,
});
// Serde's `#[serde(default)]` on these structs: a member left out takes the struct's default.
json_object!(default Theme { accent, mode, position, offset_x, offset_y, z_index, icon });
json_object!(default FormSchema { category_required, categories });
json_object!(Category { id, label, fields = default });
json_object!(FieldDef {
    id,
    kind,
    label,
    required = default,
    min_length = default,
    max_length = default,
    pattern = default,
    options = default,
    min = default,
    max = default,
    show_if = default,
});
json_object!(Choice { value, label });
json_object!(Condition { field, equals });
json_object!(default PageContext { page_url, referrer, locale, channel, user_agent });
json_object!(default NewTicket {
    subject,
    message,
    email,
    name,
    category,
    fields,
    context,
    viewed_articles,
    searches,
    hp,
    fill_ms,
    turnstile_token,
    identity,
    launch,
});
json_object!(TicketCreated { id, number, access_token, status, created_at });
json_object!(Author { kind, name, agent_id = skip });
json_object!(Message { id, author, body, visibility, created_at, delivery = skip });
json_object!(Delivery { channel, state, detail = skip });
json_object!(CustomerTicket { id, number, subject, status, created_at, updated_at, messages });
json_object!(default MineRequest { identity });
json_object!(Mine { tickets });
json_object!(OwnTicket { id, number, access_token });
json_object!(default SummariesRequest { tickets });
json_object!(default TicketRef { id, access_token });
json_object!(CustomerSummary { id, number, subject, status, updated_at, last_reply_id, last_reply_at });
json_object!(Summaries { tickets });
json_object!(default NewMessage { body, visibility });
json_object!(SearchHit { id, title, snippet, highlights, url, score });
json_object!(SearchResults { hits, total, took_us });
json_object!(Problem { kind: "type", title, status, detail, errors = skip, retry_after = skip });
json_object!(FieldError { field, code, message });
json_object!(KbArticle { id, title, html, locale, tags, updated_at });
json_object!(default KbFeedback { helpful, query });
json_object!(default RelayKeyRequest { id });
json_object!(RelayKey { key });
json_object!(WidgetEvent { kind, article_id = default, query = default, results = default });

/// An object tagged by its member `tag` (serde's `#[serde(tag = "…")]`), with `members` after it.
fn tagged(tag: &str, name: &str, members: Vec<(&str, Json)>) -> Json {
    let mut object = vec![(tag.to_owned(), Json::String(name.to_owned()))];
    object.extend(members.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Json::Object(object)
}

/// Member `name` of a tagged object, read as `T` (an absent option is `None`).
fn field<T: FromJson>(json: &Json, name: &str) -> Option<T> {
    super::member(json, name, None)
}

/// Enums whose variants are objects tagged by their member `tag` (serde's
/// `#[serde(tag = "…")]`): each variant's tag value, and its fields as members.
macro_rules! json_tagged {
    ($tag:literal, $ty:ident { $($variant:ident $({ $($field:ident),* })? => $name:literal),* $(,)? }) => {
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Option<Self> {
                Some(match json.get($tag)?.as_str()? {
                    $($name => $ty::$variant $({ $($field: field(json, stringify!($field))?),* })?,)*
                    _ => return None,
                })
            }
        }

        impl ToJson for $ty {
            fn to_json(&self) -> Json {
                let (name, members) = match self {
                    $($ty::$variant $({ $($field),* })? => ($name, vec![$($((stringify!($field), $field.to_json())),*)?]),)*
                };
                tagged($tag, name, members)
            }
        }
    };
}

json_tagged!("type", HostMessage {
    Context { context } => "tabdesk:context",
    Open => "tabdesk:open",
    Restore { items } => "tabdesk:restore",
    Close => "tabdesk:close",
    Search { query } => "tabdesk:search",
    ShowArticle { id } => "tabdesk:article",
    Prefill { values } => "tabdesk:prefill",
    Identify { token } => "tabdesk:identify",
});

json_tagged!("type", WidgetMessage {
    Store { key, value } => "tabdesk:store",
    Ready => "tabdesk:ready",
    Close => "tabdesk:close",
    Event { event } => "tabdesk:event",
});

json_tagged!("name", HostEvent {
    TicketCreated { id, number } => "ticket:created",
    ArticleViewed { id } => "article:viewed",
    MessageReceived { id, number } => "message:received",
});
