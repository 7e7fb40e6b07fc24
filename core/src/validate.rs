//! Validation of a customer's request. The widget runs it on blur and on send, for inline
//! messages in the customer's language; the worker runs the same code and is authoritative.

use email_address::EmailAddress;

use crate::config::FormSchema;
use crate::domain::limits::{
    MAX_ARTICLES, MAX_ARTICLE_CHARS, MAX_ARTICLE_ID_CHARS, MAX_ARTICLE_TITLE_CHARS, MAX_ASSIGNEE_CHARS,
    MAX_CHANNEL_CHARS, MAX_MESSAGE_CHARS, MAX_QUERY_CHARS, MAX_QUESTIONS, MAX_QUESTION_CHARS, MAX_SEARCHES, MAX_TAGS,
    MAX_TAG_CHARS, MAX_URL_CHARS, MAX_USER_AGENT_CHARS, MAX_VIEWED_ARTICLES,
};
use crate::domain::{FieldError, Locale};
use crate::form::{check_category, check_fields};
use crate::i18n::{form_strings, too_long};
use crate::url::is_http_url;
use crate::wire::{KbPublish, NewMessage, NewTicket, TicketUpdate, WidgetEvent};

/// The fields of the contact form, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketField {
    Subject,
    Message,
    Email,
    Name,
}

impl TicketField {
    pub const ALL: [TicketField; 4] =
        [TicketField::Subject, TicketField::Message, TicketField::Email, TicketField::Name];

    /// The field's name in the JSON body and in `FieldError::field`.
    pub fn key(self) -> &'static str {
        match self {
            TicketField::Subject => "subject",
            TicketField::Message => "message",
            TicketField::Email => "email",
            TicketField::Name => "name",
        }
    }

    pub fn required(self) -> bool {
        self != TicketField::Name
    }

    pub fn max_chars(self) -> usize {
        match self {
            TicketField::Subject => 200,
            TicketField::Message => 10_000,
            TicketField::Email => 254,
            TicketField::Name => 100,
        }
    }

    /// Checks one value as the customer typed it; surrounding spaces do not count.
    pub fn check(self, value: &str, locale: Locale) -> Option<FieldError> {
        let value = value.trim();
        let s = form_strings(locale);
        let error = |code: &str, message: String| FieldError::new(self.key(), code, message);
        if value.is_empty() {
            return self.required().then(|| error("required", s.required.to_owned()));
        }
        if value.chars().count() > self.max_chars() {
            return Some(error("too_long", too_long(locale, self.max_chars() as u64)));
        }
        if self == TicketField::Email && !EmailAddress::is_valid(value) {
            return Some(error("invalid_email", s.invalid_email.to_owned()));
        }
        None
    }

    /// The value of this field in a request.
    pub fn value(self, ticket: &NewTicket) -> &str {
        match self {
            TicketField::Subject => &ticket.subject,
            TicketField::Message => &ticket.message,
            TicketField::Email => &ticket.email,
            TicketField::Name => ticket.name.as_deref().unwrap_or(""),
        }
    }
}

fn length_error(field: &str, max: usize, locale: Locale) -> FieldError {
    FieldError::new(field, "too_long", too_long(locale, max as u64))
}

/// The problem of an address on `field`, in `locale`: too long, or not http(s); none when empty.
pub fn check_url(field: &str, value: Option<&str>, locale: Locale) -> Option<FieldError> {
    let value = value.filter(|v| !v.is_empty())?;
    if value.chars().count() > MAX_URL_CHARS {
        return Some(length_error(field, MAX_URL_CHARS, locale));
    }
    (!is_http_url(value)).then(|| FieldError::new(field, "invalid_url", form_strings(locale).invalid_url))
}

/// Every problem of a request against the site's form, each with a message in `locale`;
/// empty when it may be stored.
pub fn validate_ticket(ticket: &NewTicket, form: &FormSchema, locale: Locale) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> =
        TicketField::ALL.into_iter().filter_map(|f| f.check(f.value(ticket), locale)).collect();
    match check_category(form, ticket.category.as_deref(), locale) {
        Ok(category) => errors.extend(check_fields(category, &ticket.fields, locale)),
        Err(e) => errors.push(e),
    }
    let ctx = &ticket.context;
    errors.extend(check_url("context.page_url", ctx.page_url.as_deref(), locale));
    errors.extend(check_url("context.referrer", ctx.referrer.as_deref(), locale));
    for (field, value, max) in [
        ("context.channel", &ctx.channel, MAX_CHANNEL_CHARS),
        ("context.user_agent", &ctx.user_agent, MAX_USER_AGENT_CHARS),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            errors.push(length_error(field, max, locale));
        }
    }
    if ticket.viewed_articles.len() > MAX_VIEWED_ARTICLES
        || ticket.viewed_articles.iter().any(|a| a.chars().count() > MAX_ARTICLE_ID_CHARS)
    {
        errors.push(FieldError::new(
            "viewed_articles",
            "too_many",
            format!("At most {MAX_VIEWED_ARTICLES} ids of at most {MAX_ARTICLE_ID_CHARS} characters."),
        ));
    }
    if ticket.searches.len() > MAX_SEARCHES || ticket.searches.iter().any(|q| q.chars().count() > MAX_QUERY_CHARS) {
        errors.push(FieldError::new(
            "searches",
            "too_many",
            format!("At most {MAX_SEARCHES} queries of at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    errors
}

/// Problems of an agent's update (agent-facing, in English).
pub fn validate_update(update: &TicketUpdate) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if *update == TicketUpdate::default() {
        errors.push(FieldError::new("", "empty", "Send at least one of status, priority, tags, assignee."));
    }
    if let Some(tags) = &update.tags {
        if bad_tags(tags) {
            errors.push(FieldError::new("tags", "invalid", tags_message()));
        }
    }
    if let Some(Some(a)) = &update.assignee {
        if a.trim().is_empty() || a.chars().count() > MAX_ASSIGNEE_CHARS {
            errors.push(FieldError::new(
                "assignee",
                "invalid",
                format!("1-{MAX_ASSIGNEE_CHARS} characters, or null to unassign."),
            ));
        }
    }
    errors
}

fn tags_message() -> String {
    format!("At most {MAX_TAGS} tags of 1-{MAX_TAG_CHARS} characters.")
}

fn bad_tags(tags: &[String]) -> bool {
    tags.len() > MAX_TAGS || tags.iter().any(|t| t.trim().is_empty() || t.chars().count() > MAX_TAG_CHARS)
}

/// An article id: it appears in URLs, so letters, digits, `-` and `_` only.
pub fn is_article_id(id: &str) -> bool {
    (1..=MAX_ARTICLE_ID_CHARS).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Problems of a knowledge-base publish (agent-facing, in English). Languages must be ones
/// the site speaks; an article without one is in the site's default language.
pub fn validate_publish(kb: &KbPublish, locales: &[Locale]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if kb.articles.is_empty() && !kb.allow_empty {
        errors.push(FieldError::new(
            "articles",
            "empty",
            "No articles: send `allow_empty: true` to empty the knowledge base on purpose.",
        ));
    }
    if kb.articles.len() > MAX_ARTICLES {
        errors.push(FieldError::new("articles", "too_many", format!("At most {MAX_ARTICLES} articles.")));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in kb.articles.iter().enumerate() {
        let path = |f: &str| format!("articles[{i}].{f}");
        if !is_article_id(&a.id) {
            errors.push(FieldError::new(
                path("id"),
                "invalid",
                format!("1-{MAX_ARTICLE_ID_CHARS} characters: letters, digits, '-', '_'."),
            ));
        }
        if a.locale.is_some_and(|l| !locales.contains(&l)) {
            errors.push(FieldError::new(path("locale"), "invalid", "A language of the site."));
        }
        if !seen.insert((a.id.clone(), a.locale)) {
            errors.push(FieldError::new(path("id"), "duplicate", "One article per id and language."));
        }
        if a.title.trim().is_empty() || a.title.chars().count() > MAX_ARTICLE_TITLE_CHARS {
            errors.push(FieldError::new(path("title"), "invalid", format!("1-{MAX_ARTICLE_TITLE_CHARS} characters.")));
        }
        if a.body_markdown.chars().count() > MAX_ARTICLE_CHARS {
            errors.push(FieldError::new(
                path("body_markdown"),
                "too_long",
                format!("At most {MAX_ARTICLE_CHARS} characters."),
            ));
        }
        if bad_tags(&a.tags) {
            errors.push(FieldError::new(path("tags"), "invalid", tags_message()));
        }
        let bad_question = |q: &String| q.trim().is_empty() || q.chars().count() > MAX_QUESTION_CHARS;
        if a.questions.len() > MAX_QUESTIONS || a.questions.iter().any(bad_question) {
            errors.push(FieldError::new(
                path("questions"),
                "invalid",
                format!("At most {MAX_QUESTIONS} questions of 1-{MAX_QUESTION_CHARS} characters."),
            ));
        }
        if a.updated.as_ref().is_some_and(|d| d.len() != 10 || !d.chars().all(|c| c.is_ascii_digit() || c == '-')) {
            errors.push(FieldError::new(path("updated"), "invalid", "A date as YYYY-MM-DD."));
        }
    }
    errors
}

/// Problems of a new message (customer reply or agent message), in `locale`.
pub fn validate_message(message: &NewMessage, locale: Locale) -> Vec<FieldError> {
    let body = message.body.trim();
    let s = form_strings(locale);
    if body.is_empty() {
        vec![FieldError::new("body", "required", s.required)]
    } else if body.chars().count() > MAX_MESSAGE_CHARS {
        vec![FieldError::new("body", "too_long", too_long(locale, MAX_MESSAGE_CHARS as u64))]
    } else {
        Vec::new()
    }
}

/// A search query, or a text filter of the queue (`q`).
pub fn check_query(name: &str, query: &str) -> Option<FieldError> {
    (query.chars().count() > MAX_QUERY_CHARS)
        .then(|| FieldError::new(name, "too_long", format!("At most {MAX_QUERY_CHARS} characters.")))
}

/// Problems of a widget's statistics event.
pub fn validate_event(event: &WidgetEvent) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> =
        event.query.as_deref().and_then(|q| check_query("query", q)).into_iter().collect();
    if event.article_id.as_deref().is_some_and(|a| !is_article_id(a)) {
        errors.push(FieldError::new("article_id", "invalid", "An article id."));
    }
    errors
}

/// A request sent sooner after the form opened than a person could type it. A request that
/// does not say how long it took counts as instant: leaving `fill_ms` out is no way around it.
pub fn too_fast(ticket: &NewTicket, min_fill_ms: u32, locale: Locale) -> Option<FieldError> {
    let fast = min_fill_ms > 0 && ticket.fill_ms.is_none_or(|ms| ms < u64::from(min_fill_ms));
    fast.then(|| FieldError::new("fill_ms", "too_fast", form_strings(locale).too_fast))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate_ticket(t: &NewTicket, locale: Locale) -> Vec<FieldError> {
        super::validate_ticket(t, &FormSchema::default(), locale)
    }

    fn valid() -> NewTicket {
        NewTicket {
            subject: "No internet".into(),
            message: "Since this morning the router blinks red.".into(),
            email: "anna@example.com".into(),
            ..NewTicket::default()
        }
    }

    fn codes(t: &NewTicket) -> Vec<(String, String)> {
        validate_ticket(t, Locale::En).into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_complete_request_passes() {
        assert!(codes(&valid()).is_empty());
    }

    #[test]
    fn reports_every_missing_field_in_the_customers_language() {
        let errors = validate_ticket(&NewTicket::default(), Locale::Ru);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["subject", "message", "email"]);
        assert_eq!(errors[0].message, "Заполните это поле.");
        let blank = NewTicket { subject: "   ".into(), ..valid() };
        assert_eq!(codes(&blank), [("subject".into(), "required".into())]);
    }

    #[test]
    fn checks_email_lengths_and_urls() {
        let t = NewTicket { email: "anna@".into(), ..valid() };
        assert_eq!(codes(&t), [("email".into(), "invalid_email".into())]);
        let t = NewTicket { subject: "x".repeat(201), ..valid() };
        assert_eq!(codes(&t), [("subject".into(), "too_long".into())]);
        let mut t = valid();
        t.context.page_url = Some("javascript:alert(1)".into());
        assert_eq!(codes(&t), [("context.page_url".into(), "invalid_url".into())]);
        t.context.page_url = Some("https://shop.example/help?x=1".into());
        assert!(codes(&t).is_empty());
        t.viewed_articles = vec!["a".into(); 51];
        assert_eq!(codes(&t), [("viewed_articles".into(), "too_many".into())]);
        let t = NewTicket { searches: vec!["refund".into(); 11], ..valid() };
        assert_eq!(codes(&t), [("searches".into(), "too_many".into())]);
    }

    #[test]
    fn updates_change_something_sensible() {
        assert_eq!(validate_update(&TicketUpdate::default())[0].code, "empty");
        let unassign: TicketUpdate = serde_json::from_str(r#"{"assignee": null}"#).unwrap();
        assert_eq!(unassign.assignee, Some(None));
        assert!(validate_update(&unassign).is_empty());
        let tags = TicketUpdate { tags: Some(vec![" ".into()]), ..TicketUpdate::default() };
        assert_eq!(validate_update(&tags)[0].field, "tags");
        assert!(serde_json::from_str::<TicketUpdate>(r#"{"colour": 1}"#).is_err());
    }

    #[test]
    fn messages_need_a_bounded_body() {
        let message = |body: &str| NewMessage { body: body.into(), ..NewMessage::default() };
        assert!(validate_message(&message("Thanks, it works"), Locale::En).is_empty());
        assert_eq!(validate_message(&message("   "), Locale::Ru)[0].message, "Заполните это поле.");
        assert_eq!(validate_message(&message(&"я".repeat(MAX_MESSAGE_CHARS + 1)), Locale::En)[0].code, "too_long");
    }

    #[test]
    fn events_and_queries_are_bounded() {
        use crate::wire::WidgetEventKind;
        let event = |query: Option<String>, article_id: Option<&str>| WidgetEvent {
            kind: WidgetEventKind::Search,
            article_id: article_id.map(str::to_owned),
            query,
            results: Some(1),
        };
        assert!(validate_event(&event(Some("роутер".into()), Some("wifi-router"))).is_empty());
        assert_eq!(validate_event(&event(Some("a".repeat(MAX_QUERY_CHARS + 1)), None))[0].field, "query");
        assert_eq!(validate_event(&event(None, Some("../x")))[0].field, "article_id");
        assert!(check_query("q", &"я".repeat(MAX_QUERY_CHARS)).is_none());
    }

    #[test]
    fn categories_come_from_the_form() {
        let form: FormSchema = serde_json::from_str(
            r#"{"category_required": true, "categories": [{"id": "billing", "label": {"en": "Billing"},
                "fields": [{"id": "contract", "kind": "text", "label": {"en": "Contract"}, "required": true}]}]}"#,
        )
        .unwrap();
        let mut t = valid();
        let fields = |t: &NewTicket| -> Vec<String> {
            super::validate_ticket(t, &form, Locale::En).into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(&t), ["category"]);
        t.category = Some("tv".into());
        assert_eq!(fields(&t), ["category"]);
        t.category = Some("billing".into());
        assert_eq!(fields(&t), ["fields.contract"]);
        t.fields.insert("contract".into(), crate::json::Json::String("NP-1".into()));
        assert!(fields(&t).is_empty());
        t.fill_ms = Some(300);
        assert!(too_fast(&t, 1500, Locale::En).is_some());
        assert!(too_fast(&t, 0, Locale::En).is_none());
        t.fill_ms = None;
        assert!(too_fast(&t, 1500, Locale::En).is_some(), "no fill time is no way around it");
        t.fill_ms = Some(1500);
        assert!(too_fast(&t, 1500, Locale::En).is_none());
    }
}
