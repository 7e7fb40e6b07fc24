//! Decisions about tickets besides validation: what makes two submissions the same request
//! (idempotency), and how an agent's update merges into a ticket.

use crate::channel::{app_thread, launched as launched_for, Inbound, ReplyTarget};
use crate::config::{FormSchema, RoutingRule, SiteConfig};
use crate::domain::ids::{is_id, ticket_number};
use crate::domain::limits::{DEFAULT_PAGE, MAX_PAGE, MAX_USER_AGENT_CHARS};
use crate::domain::{FieldError, Locale, Priority, TicketStatus};
use crate::form::{check_category, clean_fields};
use crate::i18n::form_strings;
use crate::identity::{verify, Refused, Verified};
use crate::launch::Refused as LaunchRefused;
use crate::site::Site;
use crate::text::fold;
use crate::token::hash_token;
use crate::triage::{triage, Language};
use crate::url::minimize;
use crate::validate::{check_query, validate_ticket, TicketField};
use crate::wire::{
    Author, AuthorKind, CustomerSummary, CustomerTicket, Message, NewMessage, NewTicket, QueueCounts, TicketCreated,
    TicketSummary, TicketUpdate, Visibility,
};

/// The part of a submission that makes it this request: everything the customer wrote and
/// where, but not how long the form took, the anti-bot token (spent after one use), the signed
/// identity or launch parameters (renewed by the page) or the honeypot. A retry that differs only in those is the same request; the widget reuses its
/// `Idempotency-Key` exactly when this is unchanged, and the worker compares its fingerprint.
pub fn identity(ticket: &NewTicket) -> NewTicket {
    NewTicket {
        fill_ms: None,
        turnstile_token: None,
        identity: None,
        launch: None,
        hp: String::new(),
        ..ticket.clone()
    }
}

/// A stable hash of a request's [`identity`], stored with its key.
pub fn fingerprint(ticket: &NewTicket) -> String {
    // Serializing plain structs and maps cannot fail; an empty text would only make every
    // replay look like another request (a 422), never mix two requests up.
    hash_token(&serde_json::to_string(&identity(ticket)).unwrap_or_default())
}

/// The 422 for an `Idempotency-Key` that came with another request.
pub fn key_reused() -> FieldError {
    FieldError::new(
        "Idempotency-Key",
        "reused",
        "This key was already used for a different request; make a new key for a new request.",
    )
}

/// A validated request as the ticket it becomes: text trimmed, a blank name dropped, only the
/// chosen category's visible fields kept, the browser's `user_agent` (a header the caller
/// passes) filled in when the page sent none, and triaged. `number` is left empty: the store
/// gives it, in order, when it writes the ticket.
pub fn accept(
    config: &SiteConfig,
    request: &NewTicket,
    verified: Option<Verified>,
    locale: Locale,
    user_agent: Option<&str>,
    id: String,
    now: String,
) -> TicketSummary {
    // Validation passed, so the category (if any) is one of the form's.
    let category = check_category(&config.form, request.category.as_deref(), locale).ok().flatten();
    let labels = triage(&request.subject, &request.message, category.map(|c| c.id.as_str()), &config.triage);
    let mut context = request.context.clone();
    let kept = &config.privacy.page_url_params;
    context.page_url = context.page_url.map(|u| minimize(&u, kept));
    context.referrer = context.referrer.map(|u| minimize(&u, kept));
    if context.user_agent.is_none() {
        context.user_agent = user_agent.map(|ua| ua.chars().take(MAX_USER_AGENT_CHARS).collect());
    }
    let mut ticket = TicketSummary {
        id,
        number: String::new(),
        subject: request.subject.trim().to_owned(),
        message: request.message.trim().to_owned(),
        email: request.email.trim().to_owned(),
        name: request.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned),
        category: category.map(|c| c.id.clone()),
        // What the site vouches for is kept apart, and nothing the browser sent may sit beside it
        // under the same name.
        fields: clean_fields(category, &request.fields)
            .into_iter()
            .filter(|(name, _)| verified.as_ref().is_none_or(|v| !v.fields.contains_key(name)))
            .collect(),
        status: TicketStatus::New,
        priority: labels.priority.value,
        topic: labels.topic.value.clone(),
        needs_response: labels.needs_response.value,
        sales_lead: labels.sales_lead,
        triage: labels,
        tags: Vec::new(),
        assignee: None,
        locale,
        context,
        viewed_articles: request.viewed_articles.clone(),
        searches: request.searches.iter().map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()).collect(),
        created_at: now.clone(),
        updated_at: now,
        first_response_at: None,
        solved_at: None,
        verified,
    };
    ticket.assignee = route(&config.routing, &ticket).map(str::to_owned);
    ticket
}

/// The ticket a message from a channel becomes when its conversation has none open: accepted and
/// triaged like any request, in the language it was written in (else the site's default), with the
/// channel's rule for what needs an answer (`channel::Inbound::needs_response`).
pub fn accept_inbound(config: &SiteConfig, inbound: &Inbound, id: String, now: String) -> TicketSummary {
    let request = inbound.request();
    let mut ticket = accept(config, &request, Some(inbound.verified()), config.default_locale, None, id, now);
    let written_in = match ticket.triage.language.value {
        Language::Ru => Some(Locale::Ru),
        Language::En => Some(Locale::En),
        Language::Other => None,
    };
    ticket.locale = config.pick_locale(written_in);
    ticket.triage.needs_response = inbound.needs_response(&ticket.triage);
    ticket.needs_response = ticket.triage.needs_response.value;
    ticket
}

/// The field error of a signed identity token the worker refused, in `locale`: its code tells an
/// expired token (the page should sign a new one) from a bad one.
pub fn identity_refused(why: Refused, locale: Locale) -> FieldError {
    let code = if why == Refused::Expired { "identity_expired" } else { "identity_invalid" };
    FieldError::new("identity", code, form_strings(locale).identity_refused)
}

/// Checks who vouches for `request`'s customer: the site's signed identity token, else the
/// launch parameters of the site's app on a social network. A verified customer's email and name
/// replace what the browser sent (so the form may leave them out); a refusal is a field error on
/// `identity` (or `launch`), in `locale`, its code telling an expired token from a bad one.
pub fn vouch(site: &Site, request: &mut NewTicket, now_s: i64, locale: Locale) -> Result<Option<Verified>, FieldError> {
    let (config, s) = (&site.config, form_strings(locale));
    let Some(token) = request.identity.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        if config.identity.required {
            return Err(FieldError::new("identity", "required", s.identity_required));
        }
        return launched(site, request, now_s, locale);
    };
    let who = verify(token, &config.identity, &site.id, now_s).map_err(|why| identity_refused(why, locale))?;
    if let Some(email) = &who.email {
        request.email.clone_from(email);
    }
    if who.name.is_some() {
        request.name.clone_from(&who.name);
    }
    Ok(Some(who))
}

/// The visitor the site's app on a social network was launched for, if the request carries launch
/// parameters of a platform the site connected (`channel::launched`).
fn launched(site: &Site, request: &mut NewTicket, now_s: i64, locale: Locale) -> Result<Option<Verified>, FieldError> {
    let Some(checked) = request.launch.as_deref().and_then(|params| launched_for(&site.channels, params, now_s)) else {
        return Ok(None);
    };
    let who = checked.map_err(|why| {
        let code = if why == LaunchRefused::Expired { "launch_expired" } else { "launch_invalid" };
        FieldError::new("launch", code, form_strings(locale).identity_refused)
    })?;
    if who.name.is_some() {
        request.name.clone_from(&who.name);
    }
    Ok(Some(Verified { id: who.customer_id(), email: None, name: who.name, fields: Default::default() }))
}

/// The platform conversation a request is answered in besides the tab (`channel::app_thread`):
/// only for a customer an app's launch vouched for, never for the site's own signed customers.
pub fn reply_thread(site: &Site, request: &NewTicket, verified: Option<&Verified>) -> Option<(String, ReplyTarget)> {
    if request.identity.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        return None;
    }
    verified.and_then(|v| app_thread(&site.channels, &v.id))
}

/// Every problem of a request against the site's form (`validate_ticket`), except a missing email
/// when someone `vouched` for the customer (the site or a platform): replies reach them in the
/// tab. The widget and the worker apply the same rule.
pub fn validate_vouched(request: &NewTicket, form: &FormSchema, locale: Locale, vouched: bool) -> Vec<FieldError> {
    let mut errors = validate_ticket(request, form, locale);
    if vouched && request.email.trim().is_empty() {
        errors.retain(|e| e.field != TicketField::Email.key());
    }
    errors
}

/// The agent the first matching rule assigns `ticket` to.
pub fn route<'a>(rules: &'a [RoutingRule], ticket: &TicketSummary) -> Option<&'a str> {
    rules
        .iter()
        .find(|rule| {
            rule.category.as_ref().is_none_or(|c| ticket.category.as_ref() == Some(c))
                && rule.topic.as_ref().is_none_or(|t| &ticket.topic == t)
                && rule.locale.is_none_or(|l| ticket.locale == l)
                && rule.sales_lead.is_none_or(|s| ticket.sales_lead == s)
        })
        .map(|rule| rule.assign.trim())
}

/// The idempotency key of a send of `wanted`: the key of the `previous` attempt when it was for
/// the same content (a retry must be recognised as one), else a `fresh` one.
pub fn key_for<T: PartialEq>(previous: Option<(String, T)>, wanted: &T, fresh: impl FnOnce() -> String) -> String {
    match previous {
        Some((key, same)) if same == *wanted => key,
        _ => fresh(),
    }
}

/// A saved reply for `ticket`: `{customer_name}` becomes the customer's name (else their
/// email), `{ticket_number}` the ticket's number.
pub fn fill_reply(template: &str, ticket: &TicketSummary) -> String {
    let name = ticket.name.as_deref().unwrap_or(&ticket.email);
    template.replace("{customer_name}", name).replace("{ticket_number}", &ticket.number)
}

/// The 201 answer for a stored request (and, replayed, for every retry of its key).
pub fn created(site: &str, id: String, number: i64, access_token: String, created_at: String) -> TicketCreated {
    TicketCreated { id, number: ticket_number(site, number), access_token, status: TicketStatus::New, created_at }
}

/// The agents' queue filters (`GET …/tickets?status=&priority=&needs_response=&category=&q=&cursor=&limit=`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QueueFilter {
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub needs_response: Option<bool>,
    pub category: Option<String>,
    pub channel: Option<String>,
    pub locale: Option<Locale>,
    /// An agent's name or id as set in `assignee`; `none` for unassigned tickets.
    pub assignee: Option<String>,
    pub sales_lead: Option<bool>,
    /// Only tickets not solved or closed (`status=unsolved`).
    pub unsolved: bool,
    /// Only tickets whose first response or resolution is past due (or only others).
    pub breached: Option<bool>,
    /// A substring of subject, message or email, folded like them (any case, `ё` as `е`).
    pub query: Option<String>,
    /// The last id of the previous page: this page starts after it.
    pub cursor: Option<String>,
    pub limit: usize,
    /// Honeypot catches instead of the queue (`spam=true`).
    pub spam: bool,
}

impl QueueFilter {
    /// Reads the filters from query parameters (`param(name)` gives a parameter's value); an
    /// empty value counts as absent.
    pub fn parse(param: impl Fn(&str) -> Option<String>) -> Result<QueueFilter, Vec<FieldError>> {
        let get = |name: &str| param(name).filter(|v| !v.trim().is_empty());
        let mut errors = Vec::new();
        let mut invalid = |name: &str, message: &str| errors.push(FieldError::new(name, "invalid", message));
        let mut filter = QueueFilter { limit: DEFAULT_PAGE, ..QueueFilter::default() };
        let mut spam = None;
        match get("status").as_deref() {
            None => {}
            Some("unsolved") => filter.unsolved = true,
            Some(v) => {
                filter.status = TicketStatus::parse(v);
                if filter.status.is_none() {
                    invalid("status", "One of new, open, pending, solved, closed, unsolved.");
                }
            }
        }
        if let Some(v) = get("priority") {
            filter.priority = Priority::parse(&v);
            if filter.priority.is_none() {
                invalid("priority", "One of low, normal, high, urgent.");
            }
        }
        for (name, target) in [
            ("needs_response", &mut filter.needs_response),
            ("sales_lead", &mut filter.sales_lead),
            ("breached", &mut filter.breached),
            ("spam", &mut spam),
        ] {
            match get(name).as_deref() {
                None => {}
                Some("true") => *target = Some(true),
                Some("false") => *target = Some(false),
                Some(_) => invalid(name, "true or false."),
            }
        }
        filter.spam = spam == Some(true);
        filter.category = get("category");
        filter.channel = get("channel");
        filter.assignee = get("assignee");
        if let Some(locale) = get("locale") {
            filter.locale = Locale::from_tag(&locale);
            if filter.locale.is_none() {
                invalid("locale", "ru or en.");
            }
        }
        if let Some(cursor) = get("cursor") {
            if is_id(&cursor) {
                filter.cursor = Some(cursor);
            } else {
                invalid("cursor", "Use the `next_cursor` of a previous page.");
            }
        }
        if let Some(limit) = get("limit") {
            match limit.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)) {
                Some(n) => filter.limit = n,
                None => invalid("limit", &format!("A number from 1 to {MAX_PAGE}.")),
            }
        }
        if let Some(q) = get("q") {
            errors.extend(check_query("q", &q));
            filter.query = Some(fold(q.trim()));
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }
}

/// The console's views of the queue. Each is a set of the queue's filters (its [`View::params`]);
/// the store counts the views with the same definitions (`QueueCounts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    New,
    Mine,
    Unassigned,
    NeedsResponse,
    Breached,
    SalesLeads,
    Solved,
}

impl View {
    pub const ALL: [View; 7] =
        [View::New, View::Mine, View::Unassigned, View::NeedsResponse, View::Breached, View::SalesLeads, View::Solved];

    /// The view's query parameters; `me` is the agent's name (tickets assigned to them).
    pub fn params(self, me: &str) -> Vec<(&'static str, String)> {
        let unsolved = ("status", "unsolved".to_owned());
        match self {
            View::New => vec![("status", "new".into())],
            View::Mine => vec![unsolved, ("assignee", me.to_owned())],
            View::Unassigned => vec![unsolved, ("assignee", "none".into())],
            View::NeedsResponse => vec![unsolved, ("needs_response", "true".into())],
            View::Breached => vec![unsolved, ("breached", "true".into())],
            View::SalesLeads => vec![unsolved, ("sales_lead", "true".into())],
            View::Solved => vec![("status", "solved".into())],
        }
    }

    /// The view's count in `counts`.
    pub fn count(self, counts: &QueueCounts) -> u64 {
        match self {
            View::New => counts.new,
            View::Mine => counts.mine,
            View::Unassigned => counts.unassigned,
            View::NeedsResponse => counts.needs_response,
            View::Breached => counts.breached,
            View::SalesLeads => counts.sales_leads,
            View::Solved => counts.solved,
        }
    }
}

/// The customer's view of a ticket: its public messages only, never an internal note.
pub fn customer_view(ticket: &TicketSummary, thread: &[Message]) -> CustomerTicket {
    CustomerTicket {
        id: ticket.id.clone(),
        number: ticket.number.clone(),
        subject: ticket.subject.clone(),
        status: ticket.status,
        created_at: ticket.created_at.clone(),
        updated_at: ticket.updated_at.clone(),
        messages: thread.iter().filter(|m| m.visibility == Visibility::Public).cloned().collect(),
    }
}

/// A request at a glance for its customer: the newest public agent reply marks it unread until
/// the widget has shown that reply.
pub fn customer_summary(ticket: &TicketSummary, thread: &[Message]) -> CustomerSummary {
    let reply = thread.iter().rev().find(|m| m.author.kind == AuthorKind::Agent && m.visibility == Visibility::Public);
    CustomerSummary {
        id: ticket.id.clone(),
        number: ticket.number.clone(),
        subject: ticket.subject.clone(),
        status: ticket.status,
        updated_at: ticket.updated_at.clone(),
        last_reply_id: reply.map(|m| m.id.clone()),
        last_reply_at: reply.map(|m| m.created_at.clone()),
    }
}

/// Whether a request has an agent reply its customer has not been shown: `seen` is the reply
/// the widget showed last (it keeps it on the device).
pub fn is_unread(summary: &CustomerSummary, seen: Option<&str>) -> bool {
    summary.last_reply_id.as_deref().is_some_and(|reply| Some(reply) != seen)
}

/// The first message of a ticket's thread: the request itself, as its customer wrote it.
pub fn first_message(ticket: &TicketSummary, id: String) -> Message {
    Message {
        id,
        author: Author { kind: AuthorKind::Customer, name: ticket.name.clone(), agent_id: None },
        body: ticket.message.clone(),
        visibility: Visibility::Public,
        created_at: ticket.created_at.clone(),
        delivery: None,
    }
}

/// A message as it is stored: trimmed, by `author`; customers write only public messages.
pub fn message(new: &NewMessage, author: Author, id: String, now: String) -> Message {
    let visibility = if author.kind == AuthorKind::Customer { Visibility::Public } else { new.visibility };
    Message { id, author, body: new.body.trim().to_owned(), visibility, created_at: now, delivery: None }
}

/// The status a ticket takes when `message` is added: a customer's reply reopens a ticket that
/// was solved or waiting on them; an agent's public reply to a new ticket opens it; an internal
/// note changes nothing.
pub fn status_after(status: TicketStatus, message: &Message) -> TicketStatus {
    match (message.author.kind, message.visibility, status) {
        (AuthorKind::Customer, _, TicketStatus::Solved | TicketStatus::Pending) => TicketStatus::Open,
        (AuthorKind::Agent, Visibility::Public, TicketStatus::New) => TicketStatus::Open,
        _ => status,
    }
}

/// `ticket` with `change` applied: only the fields present change, tags and assignee trimmed,
/// `assignee: null` unassigns.
pub fn apply_update(ticket: &TicketSummary, change: &TicketUpdate) -> TicketSummary {
    let mut updated = ticket.clone();
    if let Some(status) = change.status {
        updated.status = status;
    }
    if let Some(priority) = change.priority {
        updated.priority = priority;
    }
    if let Some(tags) = &change.tags {
        updated.tags = tags.iter().map(|t| t.trim().to_owned()).collect();
    }
    if let Some(assignee) = &change.assignee {
        updated.assignee = assignee.as_deref().map(str::trim).map(str::to_owned);
    }
    updated
}

/// A ticket for tests of core: new, normal priority, tagged `vip`, assigned to `olga`.
#[cfg(test)]
pub(crate) fn sample() -> TicketSummary {
    use crate::config::TriageKeywords;
    use crate::wire::PageContext;
    use std::collections::BTreeMap;

    TicketSummary {
        id: "01J0000000000000000000000A".into(),
        number: "DEMO-1".into(),
        subject: "s".into(),
        message: "m".into(),
        email: "a@example.com".into(),
        name: None,
        category: None,
        fields: BTreeMap::new(),
        status: TicketStatus::New,
        priority: Priority::Normal,
        topic: "general".into(),
        needs_response: true,
        sales_lead: false,
        triage: triage("s", "m", None, &TriageKeywords::default()),
        tags: vec!["vip".into()],
        assignee: Some("olga".into()),
        locale: Locale::En,
        context: PageContext::default(),
        viewed_articles: Vec::new(),
        searches: Vec::new(),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        first_response_at: None,
        solved_at: None,
        verified: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::sign;

    const SECRET: &str = "0123456789abcdef0123456789abcdef-current";
    const NOW: i64 = 1_800_000_000;
    const HS256: &str = r#"{"alg":"HS256"}"#;

    fn shop() -> Site {
        Site { id: "shop".into(), config: SiteConfig::default(), channels: Default::default() }
    }

    fn claims(exp: i64) -> String {
        format!(r#"{{"sub":"u-42","aud":"shop","exp":{exp},"email":"ann@example.com","name":"Ann"}}"#)
    }

    #[test]
    fn a_vouched_request_takes_the_claims_and_a_required_identity_is_enforced() {
        let mut site = shop();
        site.config.identity.secrets = vec![SECRET.into()];
        let mut request = NewTicket { email: "mallory@example.com".into(), ..NewTicket::default() };
        assert_eq!(vouch(&site, &mut request, NOW, Locale::En), Ok(None));
        request.identity = Some(sign(SECRET, HS256, &claims(NOW + 60)));
        let who = vouch(&site, &mut request, NOW, Locale::En).unwrap().unwrap();
        assert_eq!((request.email.as_str(), request.name.as_deref()), ("ann@example.com", Some("Ann")));
        assert_eq!(who.id, "u-42");
        request.identity = Some(sign(SECRET, HS256, &claims(NOW - 60)));
        assert_eq!(vouch(&site, &mut request, NOW, Locale::Ru).unwrap_err().code, "identity_expired");
        let mut required = site.clone();
        required.config.identity.required = true;
        request.identity = None;
        assert_eq!(vouch(&required, &mut request, NOW, Locale::En).unwrap_err().code, "required");
    }

    #[test]
    fn a_vk_mini_app_visitor_is_vouched_for_by_its_launch_and_needs_no_email() {
        let key = "wvl68m4dR1UpLrVRli";
        let mut site = shop();
        let params = format!("vk_app_id=6736218&vk_ts={}&vk_user_id=494075", NOW - 10);
        let signed = format!("site=shop&mode=page&{params}&sign={}", crate::launch::vk_sign(&params, key));
        let mut request = NewTicket { launch: Some(signed.clone()), ..NewTicket::default() };
        assert_eq!(vouch(&site, &mut request, NOW, Locale::En), Ok(None), "no key: no one vouches");
        site.channels.vk = Some(crate::channel::VkConnection {
            group_id: 1,
            confirmation: "c".into(),
            secret: "s".into(),
            access_token: "t".into(),
            app_id: Some(6_736_218),
            app_secret: Some(key.into()),
        });
        let who = vouch(&site, &mut request, NOW, Locale::En).unwrap().unwrap();
        assert_eq!(who.id, "vk:494075");
        let form = FormSchema::default();
        let fields = |vouched| -> Vec<String> {
            validate_vouched(&request, &form, Locale::En, vouched).into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(false), ["subject", "message", "email"]);
        assert_eq!(fields(true), ["subject", "message"]);
        request.launch = Some(signed.replace("494075", "1"));
        assert_eq!(vouch(&site, &mut request, NOW, Locale::En).unwrap_err().field, "launch");
    }

    #[test]
    fn a_telegram_mini_app_visitor_is_vouched_for_by_the_site_s_bot() {
        // The vector of `launch`'s tests: signed for this bot token at NOW.
        let init = "auth_date=1800000000&query_id=AAH1&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22%D0%98%D1%80%D0%B8%D0%BD%D0%B0%22%2C%22last_name%22%3A%22%D0%9F%22%2C%22username%22%3A%22irina%22%7D&hash=ac4930090f2d26f11e8df6dc128ed633e3826cbdce8b9d79b74e4ac320b76cd6";
        let mut site = shop();
        let mut request = NewTicket { launch: Some(init.into()), ..NewTicket::default() };
        assert_eq!(vouch(&site, &mut request, NOW, Locale::En), Ok(None), "no bot: no one vouches");
        let bot =
            |token: &str| crate::channel::TelegramConnection { bot_token: token.into(), webhook_secret: "w".into() };
        site.channels.telegram = Some(bot("123456:TEST-token_for_tabdesk"));
        let who = vouch(&site, &mut request, NOW + 5, Locale::En).unwrap().unwrap();
        assert_eq!((who.id.as_str(), request.name.as_deref()), ("telegram:279058397", Some("Ирина П")));
        site.channels.telegram = Some(bot("123456:another-bot"));
        assert_eq!(vouch(&site, &mut request, NOW + 5, Locale::En).unwrap_err().code, "launch_invalid");
    }

    fn rule(assign: &str) -> RoutingRule {
        RoutingRule { assign: assign.into(), ..RoutingRule::default() }
    }

    #[test]
    fn a_send_reuses_its_key_only_for_the_same_content() {
        let previous = Some(("k1".to_owned(), "Hello"));
        assert_eq!(key_for(previous.clone(), &"Hello", || "k2".into()), "k1");
        assert_eq!(key_for(previous, &"Hello!", || "k2".into()), "k2");
        assert_eq!(key_for(None, &"Hello", || "k3".into()), "k3");
    }

    #[test]
    fn saved_replies_name_the_customer_and_the_ticket() {
        let t = TicketSummary { name: Some("Anna".into()), ..sample() };
        assert_eq!(fill_reply("Hi {customer_name}, about {ticket_number}:", &t), "Hi Anna, about DEMO-1:");
        let anonymous = TicketSummary { name: None, ..sample() };
        assert_eq!(fill_reply("Hi {customer_name}", &anonymous), "Hi a@example.com");
    }

    #[test]
    fn the_first_matching_rule_assigns() {
        let rules = vec![
            RoutingRule { sales_lead: Some(true), ..rule("sales") },
            RoutingRule { category: Some("billing".into()), locale: Some(Locale::Ru), ..rule("olga") },
            RoutingRule { topic: Some("delivery".into()), ..rule("dmitry") },
            rule("anyone"),
        ];
        let ticket = |category: Option<&str>, topic: &str, locale, sales_lead| TicketSummary {
            category: category.map(str::to_owned),
            topic: topic.into(),
            locale,
            sales_lead,
            ..sample()
        };
        assert_eq!(route(&rules, &ticket(Some("billing"), "billing", Locale::Ru, true)), Some("sales"));
        assert_eq!(route(&rules, &ticket(Some("billing"), "billing", Locale::Ru, false)), Some("olga"));
        assert_eq!(route(&rules, &ticket(Some("billing"), "billing", Locale::En, false)), Some("anyone"));
        assert_eq!(route(&rules, &ticket(None, "delivery", Locale::En, false)), Some("dmitry"));
        assert_eq!(route(&rules[..3], &ticket(None, "general", Locale::En, false)), None);
    }

    fn request() -> NewTicket {
        NewTicket {
            subject: "No internet".into(),
            message: "Since this morning.".into(),
            email: "anna@example.com".into(),
            fill_ms: Some(4000),
            ..NewTicket::default()
        }
    }

    #[test]
    fn timing_and_tokens_do_not_make_another_request() {
        let first = request();
        let retry = NewTicket { fill_ms: Some(9000), turnstile_token: Some("spent".into()), ..request() };
        assert_eq!(fingerprint(&first), fingerprint(&retry));
        let edited = NewTicket { message: "Since yesterday.".into(), ..request() };
        assert_ne!(fingerprint(&first), fingerprint(&edited));
        assert_eq!(identity(&retry).fill_ms, None);
    }

    #[test]
    fn a_request_becomes_a_clean_triaged_ticket() {
        let config = crate::config::default_config("Shop", vec![Locale::En], vec![]);
        let mut asked = request();
        asked.subject = "  No internet ".into();
        asked.name = Some("  ".into());
        asked.fields.insert("junk".into(), crate::json::Json::String("x".into()));
        let t = accept(&config, &asked, None, Locale::En, Some(&"u".repeat(600)), "id".into(), "now".into());
        assert_eq!((t.subject.as_str(), t.name.as_deref()), ("No internet", None));
        assert!(t.fields.is_empty(), "fields of no category are dropped");
        assert_eq!(t.context.user_agent.map(|ua| ua.len()), Some(MAX_USER_AGENT_CHARS));
        assert_eq!((t.status, t.priority), (TicketStatus::New, t.triage.priority.value));
        assert_eq!(created("demo", "id".into(), 1042, "tok".into(), "now".into()).number, "DEMO-1042");
    }

    #[test]
    fn queue_filters_are_read_or_refused() {
        let params = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        let f = QueueFilter::parse(params(&[("status", "open"), ("needs_response", "true"), ("q", " РОУТЁР ")]));
        let f = f.unwrap();
        assert_eq!(
            (f.status, f.needs_response, f.query.as_deref()),
            (Some(TicketStatus::Open), Some(true), Some("роутер"))
        );
        let more =
            QueueFilter::parse(params(&[("locale", "ru"), ("sales_lead", "true"), ("assignee", "none")])).unwrap();
        assert_eq!(
            (more.locale, more.sales_lead, more.assignee.as_deref()),
            (Some(Locale::Ru), Some(true), Some("none"))
        );
        assert_eq!(QueueFilter::parse(params(&[("locale", "de")])).unwrap_err()[0].field, "locale");
        assert_eq!(f.limit, DEFAULT_PAGE);
        // Every view of the console is a valid set of filters.
        for view in View::ALL {
            let pairs = view.params("Olga");
            let parsed = QueueFilter::parse(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()));
            assert!(parsed.is_ok(), "{view:?}");
        }
        let mine = View::Mine.params("Olga");
        let mine = QueueFilter::parse(|name| mine.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())).unwrap();
        assert_eq!((mine.unsolved, mine.status, mine.assignee.as_deref()), (true, None, Some("Olga")));
        let breached = QueueFilter::parse(params(&[("breached", "true")])).unwrap();
        assert_eq!(breached.breached, Some(true));
        assert_eq!(
            QueueFilter::parse(params(&[("status", "")])).unwrap(),
            QueueFilter { limit: DEFAULT_PAGE, ..QueueFilter::default() }
        );
        let bad = QueueFilter::parse(params(&[("status", "done"), ("cursor", "x"), ("limit", "0"), ("priority", "p")]));
        let fields: Vec<String> = bad.unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["status", "priority", "cursor", "limit"]);
    }

    #[test]
    fn customers_see_public_messages_and_replies_move_the_status() {
        let t = sample();
        let agent = Author { kind: AuthorKind::Agent, name: Some("Olga".into()), agent_id: Some("a1".into()) };
        let customer = Author { kind: AuthorKind::Customer, name: None, agent_id: None };
        let note = NewMessage { body: " internal ".into(), visibility: Visibility::Internal };
        let reply = NewMessage { body: "Public answer".into(), visibility: Visibility::Public };
        let thread = vec![
            first_message(&t, "m1".into()),
            message(&note, agent.clone(), "m2".into(), "now".into()),
            message(&reply, agent, "m3".into(), "now".into()),
        ];
        assert_eq!(thread[1].body, "internal");
        let view = customer_view(&t, &thread);
        let seen: Vec<&str> = view.messages.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(seen, ["m1", "m3"], "never the internal note");
        let sneaky = message(&note, customer, "m4".into(), "now".into());
        assert_eq!(sneaky.visibility, Visibility::Public, "customers cannot write internal notes");
        assert_eq!(status_after(TicketStatus::Solved, &sneaky), TicketStatus::Open);
        assert_eq!(status_after(TicketStatus::New, &thread[2]), TicketStatus::Open);
        assert_eq!(status_after(TicketStatus::New, &thread[1]), TicketStatus::New, "a note changes nothing");
        assert_eq!(status_after(TicketStatus::Closed, &sneaky), TicketStatus::Closed);
        let summary = customer_summary(&t, &thread);
        assert_eq!(summary.last_reply_id.as_deref(), Some("m3"), "the public reply, not the note");
        assert_eq!(customer_summary(&t, &thread[..2]).last_reply_id, None);
        assert!(is_unread(&summary, None) && is_unread(&summary, Some("m0")));
        assert!(!is_unread(&summary, Some("m3")), "shown already");
        assert!(!is_unread(&customer_summary(&t, &thread[..2]), None), "no reply, nothing to read");
    }

    #[test]
    fn updates_change_only_what_they_name() {
        let status: TicketUpdate = serde_json::from_str(r#"{"status": "solved"}"#).unwrap();
        let after = apply_update(&sample(), &status);
        assert_eq!((after.status, after.priority), (TicketStatus::Solved, Priority::Normal));
        assert_eq!((after.tags, after.assignee.as_deref()), (vec!["vip".to_owned()], Some("olga")));
        let tags: TicketUpdate = serde_json::from_str(r#"{"tags": [" a ", "b"], "assignee": " ivan "}"#).unwrap();
        let after = apply_update(&sample(), &tags);
        assert_eq!((after.tags, after.assignee.as_deref()), (vec!["a".to_owned(), "b".to_owned()], Some("ivan")));
        let unassign: TicketUpdate = serde_json::from_str(r#"{"assignee": null}"#).unwrap();
        assert_eq!(apply_update(&sample(), &unassign).assignee, None);
    }
}
