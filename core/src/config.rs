//! Site configuration: what agents set with `PUT /v1/admin/sites/{site}/config`, stored in D1,
//! and the public part served to the widget. The form schema in it drives both the widget's
//! form and the worker's validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::limits::{
    MAX_ASSIGNEE_CHARS, MAX_AUTO_REPLY_CHARS, MAX_CATEGORIES, MAX_FEATURED, MAX_FEATURED_PAGES, MAX_FIELDS,
    MAX_KEPT_PARAMS, MAX_KEYWORDS, MAX_LABEL_CHARS, MAX_LAUNCHER_LABEL_CHARS, MAX_MESSAGE_CHARS, MAX_OPTIONS,
    MAX_ORIGINS, MAX_ROUTING_RULES, MAX_SAVED_REPLIES, MAX_SITE_NAME_CHARS, MAX_URL_CHARS, MIN_WEBHOOK_SECRET_CHARS,
};
use crate::domain::{FieldError, Later, Locale, Priority, SmallMap};
use crate::identity::{check_config as check_identity, IdentityConfig};
use crate::origin::OriginPattern;
use crate::text::{escape_html, Scripts};
use crate::url::{check_outbound, path_of, OutboundPolicy};

/// A text in each of the site's languages (a [`SmallMap`]: fields of this type give the OpenAPI
/// document `value_type = BTreeMap<Locale, String>`).
pub type Localized = SmallMap<Locale, String>;

/// The text for `locale`, else the first one there is.
pub fn localized(text: &Localized, locale: Locale) -> &str {
    text.get(&locale).or_else(|| text.values().next()).map_or("", String::as_str)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    pub name: String,
    pub locales: Vec<Locale>,
    pub default_locale: Locale,
    /// The launcher's text; the loader's built-in "Support"/"Поддержка" when absent.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Locale, String>))]
    pub launcher_label: Localized,
    pub theme: Theme,
    pub allowed_origins: Vec<String>,
    /// Where requests may come from: `site`, `vk`, `facebook`, `ok`, `forum`, …
    pub channels: Vec<String>,
    pub sla: Sla,
    pub webhook: Option<Webhook>,
    pub triage: TriageKeywords,
    pub form: FormSchema,
    pub abuse: Abuse,
    pub privacy: Privacy,
    /// Who gets a new ticket: the first rule that matches assigns it (none: unassigned).
    pub routing: Vec<RoutingRule>,
    /// What the customer is told at once, in the thread, when a request arrives.
    pub auto_reply: AutoReply,
    /// Replies agents insert from the console's composer.
    pub saved_replies: Vec<SavedReply>,
    /// Signed identity: the secrets tokens are checked with, and whether one is required.
    pub identity: IdentityConfig,
    /// What the widget's home screen suggests.
    pub home: Home,
}

/// A reply agents insert and edit before sending; `{customer_name}` and `{ticket_number}` are
/// filled in (core's `ticket::fill_reply`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SavedReply {
    pub title: String,
    pub body: String,
}

/// Assigns new tickets that match every condition given (a rule without conditions matches
/// every ticket: the site's default assignee).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RoutingRule {
    /// A form category id.
    pub category: Option<String>,
    /// A triage topic (a category id, or a topic of `triage.topics`).
    pub topic: Option<String>,
    pub locale: Option<Locale>,
    pub sales_lead: Option<bool>,
    /// The agent the ticket goes to, by name as `assignee` holds it (the console's "Mine" view
    /// finds an agent's tickets by their name).
    pub assign: String,
}

/// The automatic first public messages of a ticket, written by the site (author `system`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct AutoReply {
    /// Acknowledge every request with the expected reply time (from the SLA).
    pub acknowledge: bool,
    /// The site's own acknowledgement per language, instead of the built-in one; `{reply_time}`
    /// becomes the expected reply time ("4 hours"), `{name}` the customer's name.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Locale, String>))]
    pub acknowledgement: Localized,
    /// Sent to sales leads at once, after the acknowledgement (none: no offer).
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Locale, String>))]
    pub lead_offer: Localized,
}

impl Default for AutoReply {
    fn default() -> Self {
        AutoReply { acknowledge: true, acknowledgement: Localized::new(), lead_offer: Localized::new() }
    }
}

/// What Tabdesk keeps of a visitor's page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Privacy {
    /// Query parameters of `page_url` and `referrer` kept with a request (say, `product`);
    /// every other parameter and the fragment are dropped before anything is stored.
    pub page_url_params: Vec<String>,
}

/// The widget's home screen: the articles suggested before anything is typed, per page of the
/// site (else the most helpful ones).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Home {
    pub pages: Vec<FeaturedPage>,
}

/// Articles for the pages whose path starts with `path` (the longest such `path` wins).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FeaturedPage {
    /// A path prefix such as `/billing`; `/` is every page.
    pub path: String,
    /// Article ids, in the order shown.
    pub articles: Vec<String>,
}

impl Home {
    /// The articles the site chose for the page at `page_url` (none when no path matches).
    pub fn featured(&self, page_url: Option<&str>) -> &[String] {
        let path = page_url.map_or("/", path_of);
        self.pages
            .iter()
            .filter(|p| path.starts_with(p.path.as_str()))
            .max_by_key(|p| p.path.len())
            .map_or(&[], |p| p.articles.as_slice())
    }
}

/// How the tab looks. The launcher (drawn before any request) takes its part from the embed
/// snippet's `data-` attributes, which [`Theme::snippet`] writes from this; the widget reads the
/// rest with its config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    /// `#rrggbb`; text on it is white or near-black, whichever reads better ([`text_on`]).
    pub accent: String,
    /// Light, dark, or as the visitor's system prefers.
    pub mode: ColorMode,
    /// The side of the page the launcher and the panel sit on.
    pub position: Side,
    /// Distance of the launcher from the side and from the bottom, in CSS pixels.
    pub offset_x: u16,
    pub offset_y: u16,
    /// Above the page's own layers; lower it if the site has something that must stay on top.
    pub z_index: u32,
    pub icon: LauncherIcon,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            accent: "#1f5eff".into(),
            mode: ColorMode::Auto,
            position: Side::Right,
            offset_x: 20,
            offset_y: 20,
            z_index: MAX_Z_INDEX - 1,
            icon: LauncherIcon::Chat,
        }
    }
}

/// The largest z-index browsers honour.
pub const MAX_Z_INDEX: u32 = 2_147_483_647;
/// The farthest a launcher may sit from its corner, in pixels.
pub const MAX_OFFSET: u16 = 400;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ColorMode {
    #[default]
    Auto,
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Side {
    #[default]
    Right,
    Left,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LauncherIcon {
    #[default]
    Chat,
    Help,
    None,
}

/// The relative luminance of `#rrggbb` (WCAG 2), if it is one.
fn luminance(hex: &str) -> Option<f32> {
    let hex = hex.strip_prefix('#').filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()))?;
    let channel = |i: usize| -> Option<f32> {
        let v = f32::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// The text colour for `accent`: white or `#111111`, whichever contrasts more (the loader, which
/// is plain JS, repeats this rule).
pub fn text_on(accent: &str) -> &'static str {
    let l = luminance(accent).unwrap_or(0.0);
    // #111111's luminance is 0.0056.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 {
        "#ffffff"
    } else {
        "#111111"
    }
}

impl Theme {
    /// The embed snippet for `site` served from `origin`: the `data-` attributes the loader
    /// reads, for what differs from the defaults, and the launcher's text per language (`label`).
    pub fn snippet(&self, origin: &str, site: &str, label: &Localized) -> String {
        let default = Theme::default();
        let mut attributes = format!(" data-site=\"{site}\"");
        let mut add = |name: &str, value: String| attributes.push_str(&format!(" data-{name}=\"{value}\""));
        for (locale, text) in label {
            add(&format!("label-{}", locale.tag()), escape_html(text));
        }
        if self.accent != default.accent {
            add("accent", self.accent.clone());
        }
        if self.position == Side::Left {
            add("position", "left".into());
        }
        if (self.offset_x, self.offset_y) != (default.offset_x, default.offset_y) {
            add("offset", format!("{},{}", self.offset_x, self.offset_y));
        }
        if self.z_index != default.z_index {
            add("z-index", self.z_index.to_string());
        }
        match self.icon {
            LauncherIcon::Chat => {}
            LauncherIcon::Help => add("icon", "help".into()),
            LauncherIcon::None => add("icon", "none".into()),
        }
        format!("<script src=\"{origin}/tabdesk.js\"{attributes} async></script>")
    }
}

/// Service-level targets: the first response (minutes per priority, at the top level), the
/// resolution, and the business hours both are counted in (every minute counts without them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Sla {
    pub urgent: u32,
    pub high: u32,
    pub normal: u32,
    pub low: u32,
    pub resolution: Targets,
    pub business_hours: Option<BusinessHours>,
}

/// Minutes per priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Targets {
    pub urgent: u32,
    pub high: u32,
    pub normal: u32,
    pub low: u32,
}

impl Targets {
    pub fn minutes(&self, priority: Priority) -> u32 {
        match priority {
            Priority::Urgent => self.urgent,
            Priority::High => self.high,
            Priority::Normal => self.normal,
            Priority::Low => self.low,
        }
    }
}

impl Default for Targets {
    /// Resolution targets: four hours for urgent requests to a week for low ones.
    fn default() -> Self {
        Targets { urgent: 4 * 60, high: 24 * 60, normal: 72 * 60, low: 7 * 24 * 60 }
    }
}

/// The hours a site answers in: a fixed offset from UTC (its time zone, without daylight
/// saving) and, per weekday, an opening and a closing time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// Minutes east of UTC (Moscow: 180).
    pub utc_offset_minutes: i32,
    pub days: Vec<OpenHours>,
}

/// Opening hours of one weekday, `HH:MM` to `HH:MM` local time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenHours {
    /// 1 is Monday, 7 is Sunday.
    pub day: u8,
    pub from: String,
    pub to: String,
}

impl OpenHours {
    /// Opening and closing minute of the day, if both are well-formed and in order.
    pub fn minutes(&self) -> Option<(u32, u32)> {
        let read = |t: &str| {
            let (h, m) = t.split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
        };
        let (from, to) = (read(&self.from)?, read(&self.to)?);
        (from < to).then_some((from, to))
    }
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            urgent: 60,
            high: 4 * 60,
            normal: 24 * 60,
            low: 72 * 60,
            resolution: Targets::default(),
            business_hours: None,
        }
    }
}

impl Sla {
    /// First-response minutes for `priority`.
    pub fn minutes(&self, priority: Priority) -> u32 {
        Targets { urgent: self.urgent, high: self.high, normal: self.normal, low: self.low }.minutes(priority)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    pub url: String,
    /// Shared secret for the HMAC-SHA256 signature; never served publicly.
    pub secret: String,
}

/// Words a site adds to the built-in triage lexicons (any language; stemmed like the rest).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TriageKeywords {
    pub urgent: Vec<String>,
    pub sales: Vec<String>,
    pub negative: Vec<String>,
    pub positive: Vec<String>,
    /// Topic id → words that suggest it when the customer picked no category.
    pub topics: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Abuse {
    /// Requests sent sooner than this after the form opened are refused (bots fill instantly).
    pub min_fill_ms: u32,
    /// Cloudflare Turnstile: when both are set, every request must carry a valid token.
    pub turnstile_site_key: Option<String>,
    pub turnstile_secret: Option<String>,
}

impl Default for Abuse {
    fn default() -> Self {
        Abuse { min_fill_ms: 1500, turnstile_site_key: None, turnstile_secret: None }
    }
}

/// The contact form: the category list, and per category the extra fields it needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FormSchema {
    pub category_required: bool,
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Locale, String>))]
    pub label: Localized,
    #[serde(default)]
    pub fields: Vec<FieldDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Textarea,
    Email,
    Phone,
    Number,
    Select,
    Multiselect,
    Checkbox,
    Date,
    Url,
}

impl FieldKind {
    pub const ALL: [FieldKind; 10] = [
        FieldKind::Text,
        FieldKind::Textarea,
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::Number,
        FieldKind::Select,
        FieldKind::Multiselect,
        FieldKind::Checkbox,
        FieldKind::Date,
        FieldKind::Url,
    ];

    /// Its name in a configuration's JSON.
    pub fn tag(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Textarea => "textarea",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Number => "number",
            FieldKind::Select => "select",
            FieldKind::Multiselect => "multiselect",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Date => "date",
            FieldKind::Url => "url",
        }
    }

    /// Answered by picking from the field's `options` (and only these kinds have options).
    pub fn has_options(self) -> bool {
        matches!(self, FieldKind::Select | FieldKind::Multiselect)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Locale, String>))]
    pub label: Localized,
}

/// Shown only while another field of the same category has a given value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub equals: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub id: String,
    pub kind: FieldKind,
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Locale, String>))]
    pub label: Localized,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min_length: Option<u32>,
    #[serde(default)]
    pub max_length: Option<u32>,
    /// A mask: `9` a digit, `a` a letter, `*` a letter or digit, anything else itself.
    /// (A mask, not a regex: it reads plainly in the console and needs no regex engine in wasm.)
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub show_if: Option<Condition>,
}

impl FieldDef {
    /// An optional field with no limits of its own.
    pub fn new(id: &str, kind: FieldKind, label: Localized) -> FieldDef {
        FieldDef {
            id: id.to_owned(),
            kind,
            label,
            required: false,
            min_length: None,
            max_length: None,
            pattern: None,
            options: Vec::new(),
            min: None,
            max: None,
            show_if: None,
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            name: String::new(),
            locales: Locale::ALL.to_vec(),
            default_locale: Locale::En,
            launcher_label: Localized::new(),
            theme: Theme::default(),
            allowed_origins: Vec::new(),
            channels: vec!["site".into()],
            sla: Sla::default(),
            webhook: None,
            triage: TriageKeywords::default(),
            form: FormSchema::default(),
            abuse: Abuse::default(),
            privacy: Privacy::default(),
            routing: Vec::new(),
            auto_reply: AutoReply::default(),
            saved_replies: Vec::new(),
            identity: IdentityConfig::default(),
            home: Home::default(),
        }
    }
}

/// What the widget may see of a site: no secrets, no internal rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicConfig {
    pub site: String,
    pub name: String,
    pub locales: Vec<Locale>,
    pub default_locale: Locale,
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Locale, String>))]
    pub launcher_label: Localized,
    pub theme: Theme,
    pub channels: Vec<String>,
    /// Read by the widget's form module only (`Later`): the first screen does not decode it.
    #[cfg_attr(feature = "openapi", schema(value_type = FormSchema))]
    pub form: Later<FormSchema>,
    pub min_fill_ms: u32,
    pub turnstile_site_key: Option<String>,
    /// Only customers the site signed in may write (the widget says so instead of a form).
    pub identity_required: bool,
    /// The text colour on the theme's accent ([`text_on`]), worked out here so the widget
    /// carries no colour arithmetic.
    pub accent_text: String,
    /// The first-response target of a normal request, in minutes, and whether it counts
    /// business hours only: the embed page words from them when to expect an answer
    /// (`i18n::reply_note`), which the widget's home screen shows.
    pub reply_minutes: u32,
    pub business_hours: bool,
}

/// What the widget's frame reads of a site's public config (`EmbedBoot::config`). The rest of
/// `PublicConfig` is the loader's (the launcher's label and place) or the embed page's (the
/// reply note's target): decoding it cost the widget's first screen for nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetConfig {
    pub site: String,
    pub name: String,
    /// The theme's accent and the text colour on it ([`text_on`]).
    pub accent: String,
    pub accent_text: String,
    pub mode: ColorMode,
    pub channels: Vec<String>,
    /// Read by the widget's form module only (`Later`): the first screen does not decode it.
    #[cfg_attr(feature = "openapi", schema(value_type = FormSchema))]
    pub form: Later<FormSchema>,
    pub turnstile_site_key: Option<String>,
    pub identity_required: bool,
}

impl PublicConfig {
    /// What the widget's frame reads of it.
    pub fn for_widget(self) -> WidgetConfig {
        WidgetConfig {
            site: self.site,
            name: self.name,
            accent: self.theme.accent,
            accent_text: self.accent_text,
            mode: self.theme.mode,
            channels: self.channels,
            form: self.form,
            turnstile_site_key: self.turnstile_site_key,
            identity_required: self.identity_required,
        }
    }
}

impl SiteConfig {
    pub fn public(&self, site: &str) -> PublicConfig {
        PublicConfig {
            site: site.to_owned(),
            name: self.name.clone(),
            locales: self.locales.clone(),
            default_locale: self.default_locale,
            launcher_label: self.launcher_label.clone(),
            theme: self.theme.clone(),
            channels: self.channels.clone(),
            form: self.form.clone().into(),
            min_fill_ms: self.abuse.min_fill_ms,
            turnstile_site_key: self.turnstile().map(|(key, _)| key.to_owned()),
            identity_required: self.identity.required,
            accent_text: text_on(&self.theme.accent).to_owned(),
            reply_minutes: self.sla.normal,
            business_hours: self.sla.business_hours.is_some(),
        }
    }

    /// Site key and secret, when Turnstile is on.
    pub fn turnstile(&self) -> Option<(&str, &str)> {
        match (&self.abuse.turnstile_site_key, &self.abuse.turnstile_secret) {
            (Some(k), Some(s)) if !k.is_empty() && !s.is_empty() => Some((k, s)),
            _ => None,
        }
    }

    /// The site's language closest to what the client asked for (see [`Locale::asked`]).
    pub fn pick_locale(&self, asked: Option<Locale>) -> Locale {
        asked.filter(|l| self.locales.contains(l)).unwrap_or(self.default_locale)
    }

    /// The language to search in: the one asked for, else the query's script; a language
    /// without articles (`has_articles` says) falls back to the site's default.
    pub fn search_locale(&self, asked: Option<Locale>, query: &str, has_articles: impl Fn(Locale) -> bool) -> Locale {
        let locale = self.pick_locale(asked.or_else(|| Scripts::of(query).majority()));
        if has_articles(locale) {
            locale
        } else {
            self.default_locale
        }
    }

    pub fn origin_patterns(&self) -> Vec<OriginPattern> {
        crate::origin::parse_all(&self.allowed_origins)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.form.categories.iter().find(|c| c.id == id)
    }
}

fn is_slug(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Every problem of a configuration, with JSON paths as field names (operator-facing English).
/// `outbound` says where the worker may send webhooks.
pub fn validate_config(config: &SiteConfig, outbound: OutboundPolicy) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut err = |field: String, code: &str, message: &str| errors.push(FieldError::new(field, code, message));
    let name = config.name.trim();
    if name.is_empty() || name.chars().count() > MAX_SITE_NAME_CHARS {
        err("name".into(), "invalid", &format!("1-{MAX_SITE_NAME_CHARS} characters."));
    }
    if config.locales.is_empty() {
        err("locales".into(), "required", "At least one language.");
    }
    if !config.locales.contains(&config.default_locale) {
        err("default_locale".into(), "invalid", "Must be one of `locales`.");
    }
    for (locale, label) in &config.launcher_label {
        if label.trim().is_empty() || label.chars().count() > MAX_LAUNCHER_LABEL_CHARS {
            err(
                format!("launcher_label.{}", locale.tag()),
                "invalid",
                &format!("1-{MAX_LAUNCHER_LABEL_CHARS} characters."),
            );
        }
    }
    if luminance(&config.theme.accent).is_none() {
        err("theme.accent".into(), "invalid", "A colour as #rrggbb.");
    }
    if config.theme.offset_x > MAX_OFFSET || config.theme.offset_y > MAX_OFFSET {
        err("theme.offset_x".into(), "invalid", "0-400 pixels.");
    }
    if config.theme.z_index == 0 || config.theme.z_index > MAX_Z_INDEX {
        err("theme.z_index".into(), "invalid", "1-2147483647.");
    }
    if config.allowed_origins.len() > MAX_ORIGINS {
        err("allowed_origins".into(), "too_many", &format!("At most {MAX_ORIGINS} origins."));
    }
    for (i, origin) in config.allowed_origins.iter().enumerate() {
        if let Err(why) = OriginPattern::parse(origin) {
            err(format!("allowed_origins[{i}]"), "invalid_origin", why);
        }
    }
    for (i, channel) in config.channels.iter().enumerate() {
        if !is_slug(channel) {
            err(format!("channels[{i}]"), "invalid", "Lowercase letters, digits, '-' and '_'.");
        }
    }
    for (i, page) in config.home.pages.iter().enumerate() {
        if !page.path.starts_with('/') || page.path.chars().count() > MAX_URL_CHARS {
            err(format!("home.pages[{i}].path"), "invalid", "A path that starts with '/'.");
        }
        if page.articles.len() > MAX_FEATURED || page.articles.iter().any(|a| !is_slug(a)) {
            err(format!("home.pages[{i}].articles"), "invalid", "At most 10 article ids.");
        }
    }
    if config.home.pages.len() > MAX_FEATURED_PAGES {
        err("home.pages".into(), "too_many", "At most 100 pages.");
    }
    let sla = &config.sla;
    let r = &sla.resolution;
    if [sla.urgent, sla.high, sla.normal, sla.low, r.urgent, r.high, r.normal, r.low].contains(&0) {
        err("sla".into(), "invalid", "Every target is at least one minute.");
    }
    if let Some(hours) = &sla.business_hours {
        let bad_day = hours.days.iter().any(|d| !(1..=7).contains(&d.day) || d.minutes().is_none());
        if hours.days.is_empty() || bad_day || !(-720..=840).contains(&hours.utc_offset_minutes) {
            err(
                "sla.business_hours".into(),
                "invalid",
                "Days 1-7 with HH:MM hours, from before to, and an offset of -720 to 840 minutes.",
            );
        }
    }
    if let Some(hook) = &config.webhook {
        if let Err(why) = check_outbound(&hook.url, outbound) {
            err("webhook.url".into(), "invalid_url", why);
        }
        if hook.secret.chars().count() < MIN_WEBHOOK_SECRET_CHARS {
            err("webhook.secret".into(), "too_short", &format!("At least {MIN_WEBHOOK_SECRET_CHARS} characters."));
        }
    }
    let t = &config.triage;
    let keyword_count = t.urgent.len()
        + t.sales.len()
        + t.negative.len()
        + t.positive.len()
        + t.topics.values().map(Vec::len).sum::<usize>();
    if keyword_count > MAX_KEYWORDS {
        err("triage".into(), "too_many", &format!("At most {MAX_KEYWORDS} keywords in all."));
    }
    let params = &config.privacy.page_url_params;
    let bad_param = |p: &String| p.is_empty() || p.len() > 64 || p.contains(['&', '=', '#']);
    if params.len() > MAX_KEPT_PARAMS || params.iter().any(bad_param) {
        err(
            "privacy.page_url_params".into(),
            "invalid",
            &format!("At most {MAX_KEPT_PARAMS} parameter names without '&', '=' or '#'."),
        );
    }
    errors.extend(validate_routing(config));
    if config.saved_replies.len() > MAX_SAVED_REPLIES {
        errors.push(FieldError::new("saved_replies", "too_many", format!("At most {MAX_SAVED_REPLIES} replies.")));
    }
    for (i, reply) in config.saved_replies.iter().enumerate() {
        for (part, text, max) in [("title", &reply.title, MAX_LABEL_CHARS), ("body", &reply.body, MAX_MESSAGE_CHARS)] {
            let length = text.trim().chars().count();
            if length == 0 || length > max {
                errors.push(FieldError::new(
                    format!("saved_replies[{i}].{part}"),
                    "invalid",
                    format!("1-{max} characters."),
                ));
            }
        }
    }
    for (path, texts) in [
        ("auto_reply.acknowledgement", &config.auto_reply.acknowledgement),
        ("auto_reply.lead_offer", &config.auto_reply.lead_offer),
    ] {
        for (locale, text) in texts {
            if text.trim().is_empty() || text.chars().count() > MAX_AUTO_REPLY_CHARS {
                errors.push(FieldError::new(
                    format!("{path}.{}", locale.tag()),
                    "invalid",
                    format!("1-{MAX_AUTO_REPLY_CHARS} characters."),
                ));
            }
        }
    }
    errors.extend(validate_form(&config.form));
    errors.extend(
        check_identity(&config.identity).into_iter().map(|(field, why)| FieldError::new(field, "invalid", why)),
    );
    errors
}

fn validate_routing(config: &SiteConfig) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if config.routing.len() > MAX_ROUTING_RULES {
        errors.push(FieldError::new("routing", "too_many", format!("At most {MAX_ROUTING_RULES} rules.")));
    }
    for (i, rule) in config.routing.iter().enumerate() {
        let path = format!("routing[{i}]");
        let assign = rule.assign.trim();
        if assign.is_empty() || assign.chars().count() > MAX_ASSIGNEE_CHARS {
            errors.push(FieldError::new(
                format!("{path}.assign"),
                "invalid",
                format!("An agent's id or name, 1-{MAX_ASSIGNEE_CHARS} characters."),
            ));
        }
        if let Some(category) = &rule.category {
            if !config.form.categories.iter().any(|c| &c.id == category) {
                errors.push(FieldError::new(format!("{path}.category"), "unknown", "One of the form's categories."));
            }
        }
        if rule.topic.as_deref().is_some_and(|t| !is_slug(t)) {
            errors.push(FieldError::new(format!("{path}.topic"), "invalid", "Lowercase letters, digits, '-' and '_'."));
        }
    }
    errors
}

fn validate_label(path: &str, label: &Localized, errors: &mut Vec<FieldError>) {
    if label.is_empty() || label.values().any(|l| l.trim().is_empty() || l.chars().count() > MAX_LABEL_CHARS) {
        errors.push(FieldError::new(
            path,
            "invalid_label",
            format!("A text of 1-{MAX_LABEL_CHARS} characters for at least one language."),
        ));
    }
}

fn validate_form(form: &FormSchema) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if form.categories.len() > MAX_CATEGORIES {
        errors.push(FieldError::new("form.categories", "too_many", format!("At most {MAX_CATEGORIES} categories.")));
    }
    for (ci, category) in form.categories.iter().enumerate() {
        let path = format!("form.categories[{ci}]");
        if !is_slug(&category.id) {
            errors.push(FieldError::new(format!("{path}.id"), "invalid", "Lowercase letters, digits, '-' and '_'."));
        }
        if form.categories[..ci].iter().any(|c| c.id == category.id) {
            errors.push(FieldError::new(format!("{path}.id"), "duplicate", "Category ids are unique."));
        }
        validate_label(&format!("{path}.label"), &category.label, &mut errors);
        if category.fields.len() > MAX_FIELDS {
            errors.push(FieldError::new(format!("{path}.fields"), "too_many", format!("At most {MAX_FIELDS} fields.")));
        }
        for (fi, field) in category.fields.iter().enumerate() {
            let fpath = format!("{path}.fields[{fi}]");
            let earlier = &category.fields[..fi];
            if !is_slug(&field.id) {
                errors.push(FieldError::new(
                    format!("{fpath}.id"),
                    "invalid",
                    "Lowercase letters, digits, '-' and '_'.",
                ));
            }
            if earlier.iter().any(|f| f.id == field.id) {
                errors.push(FieldError::new(format!("{fpath}.id"), "duplicate", "Field ids are unique in a category."));
            }
            validate_label(&format!("{fpath}.label"), &field.label, &mut errors);
            let choice = field.kind.has_options();
            if choice && (field.options.is_empty() || field.options.len() > MAX_OPTIONS) {
                errors.push(FieldError::new(
                    format!("{fpath}.options"),
                    "invalid",
                    format!("1-{MAX_OPTIONS} options."),
                ));
            }
            if !choice && !field.options.is_empty() {
                errors.push(FieldError::new(
                    format!("{fpath}.options"),
                    "invalid",
                    "Only select and multiselect fields have options.",
                ));
            }
            if let (Some(min), Some(max)) = (field.min_length, field.max_length) {
                if min > max {
                    errors.push(FieldError::new(format!("{fpath}.min_length"), "invalid", "At most max_length."));
                }
            }
            if field.max_length.is_some_and(|m| m == 0 || m > 10_000) {
                errors.push(FieldError::new(format!("{fpath}.max_length"), "invalid", "1-10000."));
            }
            if field.pattern.as_ref().is_some_and(|p| p.is_empty() || p.chars().count() > 100) {
                errors.push(FieldError::new(format!("{fpath}.pattern"), "invalid", "A mask of 1-100 characters."));
            }
            if let Some(cond) = &field.show_if {
                if !earlier.iter().any(|f| f.id == cond.field) {
                    errors.push(FieldError::new(
                        format!("{fpath}.show_if.field"),
                        "invalid",
                        "Must name an earlier field of this category.",
                    ));
                }
            }
        }
    }
    errors
}

/// The form of a new site: category optional, no extra fields.
pub fn default_config(name: &str, locales: Vec<Locale>, allowed_origins: Vec<String>) -> SiteConfig {
    SiteConfig {
        name: name.to_owned(),
        default_locale: locales.first().copied().unwrap_or_default(),
        locales,
        allowed_origins,
        ..SiteConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_the_accent_reads_and_the_snippet_carries_what_differs() {
        assert_eq!(text_on("#1f5eff"), "#ffffff");
        assert_eq!(text_on("#ffd400"), "#111111", "yellow takes dark text");
        assert_eq!(text_on("#000000"), "#ffffff");
        assert!(luminance("#+f+f+f").is_none());
        let plain = Theme::default().snippet("https://w.example", "demo", &Localized::new());
        assert_eq!(plain, r#"<script src="https://w.example/tabdesk.js" data-site="demo" async></script>"#);
        let theme = Theme {
            accent: "#ffd400".into(),
            position: Side::Left,
            offset_y: 90,
            icon: LauncherIcon::Help,
            ..Theme::default()
        };
        assert_eq!(
            theme.snippet("https://w.example", "demo", &Localized::from([(Locale::Ru, "Помощь \"24/7\"".to_owned())])),
            r##"<script src="https://w.example/tabdesk.js" data-site="demo" data-label-ru="Помощь &quot;24/7&quot;" data-accent="#ffd400" data-position="left" data-offset="20,90" data-icon="help" async></script>"##
        );
    }

    #[test]
    fn the_longest_matching_path_chooses_the_home_screen_s_articles() {
        let page = |path: &str, ids: &[&str]| FeaturedPage {
            path: path.into(),
            articles: ids.iter().map(|s| s.to_string()).collect(),
        };
        let home = Home { pages: vec![page("/", &["faq"]), page("/billing", &["fees", "refunds"])] };
        assert_eq!(home.featured(Some("https://shop.example/billing/cards?x=1#top")), ["fees", "refunds"]);
        assert_eq!(home.featured(Some("https://shop.example")), ["faq"]);
        assert_eq!(home.featured(None), ["faq"]);
        assert!(Home::default().featured(Some("https://shop.example/billing")).is_empty());
        let mut config = SiteConfig { name: "Shop".into(), ..SiteConfig::default() };
        config.home = Home { pages: vec![page("billing", &["Not A Slug"])] };
        let fields: Vec<String> =
            validate_config(&config, OutboundPolicy::default()).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["home.pages[0].path", "home.pages[0].articles"]);
    }

    fn text(en: &str) -> Localized {
        Localized::from([(Locale::En, en.to_owned())])
    }

    fn field(id: &str, kind: FieldKind) -> FieldDef {
        FieldDef::new(id, kind, text(id))
    }

    #[test]
    fn each_field_kind_is_listed_once_under_its_json_name() {
        for (i, kind) in FieldKind::ALL.into_iter().enumerate() {
            assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::Value::from(kind.tag())));
            assert!(!FieldKind::ALL[..i].contains(&kind));
        }
    }

    #[test]
    fn a_default_config_is_valid_and_public_hides_secrets() {
        let mut config = default_config("Shop", vec![Locale::Ru, Locale::En], vec!["https://shop.example".into()]);
        let strict = OutboundPolicy::default();
        assert!(validate_config(&config, strict).is_empty(), "{:?}", validate_config(&config, strict));
        config.webhook = Some(Webhook { url: "https://hooks.example/x".into(), secret: "0123456789abcdef".into() });
        config.abuse.turnstile_secret = Some("secret".into());
        let public = serde_json::to_string(&config.public("shop")).unwrap();
        assert!(
            !public.contains("0123456789abcdef") && !public.contains("secret") && !public.contains("hooks.example")
        );
        assert_eq!(config.public("shop").default_locale, Locale::Ru);
    }

    #[test]
    fn rejects_inconsistent_forms() {
        let mut config = default_config("Shop", vec![Locale::En], vec![]);
        let mut select = field("plan", FieldKind::Select);
        select.show_if = Some(Condition { field: "later".into(), equals: "x".into() });
        config.form.categories = vec![
            Category {
                id: "billing".into(),
                label: text("Billing"),
                fields: vec![select, field("later", FieldKind::Text)],
            },
            Category { id: "billing".into(), label: Localized::new(), fields: vec![] },
        ];
        config.theme.accent = "blue".into();
        config.webhook = Some(Webhook { url: "https://169.254.169.254/".into(), secret: "0123456789abcdef".into() });
        config.privacy.page_url_params = vec!["a=b".into()];
        let fields: Vec<String> =
            validate_config(&config, OutboundPolicy::default()).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "theme.accent",
                "webhook.url",
                "privacy.page_url_params",
                "form.categories[0].fields[0].options",
                "form.categories[0].fields[0].show_if.field",
                "form.categories[1].id",
                "form.categories[1].label",
            ]
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(serde_json::from_str::<SiteConfig>(r#"{"name":"x","colour":"red"}"#).is_err());
        let c: SiteConfig = serde_json::from_str(r#"{"name":"x"}"#).unwrap();
        assert_eq!(c.abuse.min_fill_ms, 1500);
        assert_eq!(localized(&text("Hi"), Locale::Ru), "Hi");
    }

    #[test]
    fn languages_are_picked_among_the_sites() {
        let config = default_config("Shop", vec![Locale::Ru, Locale::En], vec![]);
        assert_eq!(config.pick_locale(Some(Locale::En)), Locale::En);
        assert_eq!(config.pick_locale(None), Locale::Ru);
        let ru_only = default_config("Shop", vec![Locale::Ru], vec![]);
        assert_eq!(ru_only.pick_locale(Some(Locale::En)), Locale::Ru);
        assert_eq!(config.search_locale(None, "router", |_| true), Locale::En);
        assert_eq!(config.search_locale(Some(Locale::Ru), "router", |_| true), Locale::Ru);
        assert_eq!(config.search_locale(None, "router", |l| l == Locale::Ru), Locale::Ru, "no English articles");
        assert_eq!(config.search_locale(None, "123", |_| true), Locale::Ru);
    }
}
