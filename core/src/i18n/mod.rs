//! Every user-facing string, in every [`Locale`]. The widget, the console and the worker's
//! validation messages read them from here, so a missing translation is a compile error.

pub mod console;
mod form;
mod page;
mod thread;

pub use form::{form_strings, FormStrings};
pub use page::{page_strings, PageStrings};
pub use thread::{thread_strings, ThreadStrings};

use crate::config::PublicConfig;
use crate::domain::{plural, Locale, Plural, TicketStatus};

/// Fixed strings of one language: the shell, search, articles and the home screen (the first
/// screen's), and what the other screens share with it.
#[derive(Debug)]
pub struct Strings {
    pub title: &'static str,
    pub close: &'static str,
    pub back: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub searching: &'static str,
    pub no_results: &'static str,
    pub search_failed: &'static str,
    pub contact_us: &'static str,
    pub sending: &'static str,
    pub queued_title: &'static str,
    pub queued_body: &'static str,
    pub retry_now: &'static str,
    pub load_failed: &'static str,
    pub try_again: &'static str,
    pub helpful: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub thanks_feedback: &'static str,
    pub still_need_help: &'static str,
    pub loading: &'static str,
    pub article_failed: &'static str,
    pub my_requests: &'static str,
    /// Over the articles the home screen suggests before anything is typed.
    pub suggested: &'static str,
    pub unread: &'static str,
}

const EN: Strings = Strings {
    title: "How can we help?",
    close: "Close",
    back: "Back",
    search_label: "Search help articles",
    search_placeholder: "Describe your question",
    searching: "Searching…",
    no_results: "Nothing found. Try other words or write to us.",
    search_failed: "Search is unavailable right now. You can still write to us.",
    contact_us: "Contact us",
    sending: "Sending…",
    queued_title: "Saved, waiting for the connection",
    queued_body: "You seem to be offline. Your request is saved on this device and will be sent as soon as the connection is back; you will see its number here.",
    retry_now: "Try again now",
    load_failed: "This part of the help did not load. Check the connection and try again.",
    try_again: "Try again",
    helpful: "Was this article helpful?",
    yes: "Yes",
    no: "No",
    thanks_feedback: "Thank you for your feedback!",
    still_need_help: "Still need help? Write to us.",
    loading: "Loading…",
    article_failed: "Could not load the article. Please try again.",
    my_requests: "My requests",
    suggested: "Suggested articles",
    unread: "New reply",
};

const RU: Strings = Strings {
    title: "Чем мы можем помочь?",
    close: "Закрыть",
    back: "Назад",
    search_label: "Поиск по статьям помощи",
    search_placeholder: "Опишите ваш вопрос",
    searching: "Ищем…",
    no_results: "Ничего не нашлось. Попробуйте другие слова или напишите нам.",
    search_failed: "Поиск сейчас недоступен. Вы можете написать нам.",
    contact_us: "Написать нам",
    sending: "Отправляем…",
    queued_title: "Сохранено, ждём связь",
    queued_body: "Похоже, нет подключения к интернету. Обращение сохранено на этом устройстве и уйдёт, как только связь появится; номер обращения появится здесь.",
    retry_now: "Отправить сейчас",
    load_failed: "Этот раздел не загрузился. Проверьте подключение и попробуйте ещё раз.",
    try_again: "Попробовать ещё раз",
    helpful: "Статья помогла?",
    yes: "Да",
    no: "Нет",
    thanks_feedback: "Спасибо за отзыв!",
    still_need_help: "Не помогло? Напишите нам.",
    loading: "Загружаем…",
    article_failed: "Не удалось загрузить статью. Попробуйте ещё раз.",
    my_requests: "Мои обращения",
    suggested: "Рекомендуемые статьи",
    unread: "Новый ответ",
};

/// The fixed strings of `locale`.
pub fn strings(locale: Locale) -> &'static Strings {
    by_locale(locale, &EN, &RU)
}

/// The table of `locale` among one table per language (every table's selector goes through
/// here, so a new language is a compile error in each of them).
fn by_locale<T>(locale: Locale, en: &'static T, ru: &'static T) -> &'static T {
    match locale {
        Locale::En => en,
        Locale::Ru => ru,
    }
}

/// "3 articles found" with the right plural form. `n` is a `usize`, as `SearchResults::total`
/// gives it, so that the widget writes it with the code that writes its other numbers (a `u64`
/// brought 64-bit formatting to its first screen for this alone).
pub fn articles_found(locale: Locale, n: usize) -> String {
    let noun = match (locale, plural(locale, n as u64)) {
        (Locale::En, Plural::One) => "article found",
        (Locale::En, _) => "articles found",
        (Locale::Ru, Plural::One) => "статья найдена",
        (Locale::Ru, Plural::Few) => "статьи найдено",
        (Locale::Ru, _) => "статей найдено",
    };
    format!("{n} {noun}")
}

/// When to expect an answer, for the widget's home screen, if the site (`config`) sets a
/// first-response target.
pub fn reply_note(locale: Locale, config: &PublicConfig) -> Option<String> {
    (config.reply_minutes > 0).then(|| reply_within(locale, config.reply_minutes, config.business_hours))
}

/// When to expect an answer, for the home screen: the site's first-response target (`minutes`)
/// as [`reply_time`] words it, in working hours when the site counts only those (`business`).
fn reply_within(locale: Locale, minutes: u32, business: bool) -> String {
    let time = reply_time(locale, minutes);
    match (locale, business) {
        (Locale::En, false) => format!("We usually reply within {time}"),
        (Locale::En, true) => format!("We usually reply within {time} of our working hours"),
        (Locale::Ru, false) => format!("Обычно отвечаем за {time}"),
        (Locale::Ru, true) => format!("Обычно отвечаем за {time} рабочего времени"),
    }
}

/// A Telegram bot's answer to `/start`: who answers here and where the knowledge base is.
pub fn bot_greeting(locale: Locale, site: &str, kb_url: &str) -> String {
    match locale {
        Locale::En => format!(
            "Hello! This is {site} support. Write your question here and we will answer in this chat. \
             Answers to common questions: {kb_url}"
        ),
        Locale::Ru => format!(
            "Здравствуйте! Это поддержка {site}. Напишите вопрос здесь, и мы ответим в этом чате. \
             Ответы на частые вопросы: {kb_url}"
        ),
    }
}

/// A request's status as its customer reads it.
pub fn status_name(locale: Locale, status: TicketStatus) -> &'static str {
    match (locale, status) {
        (Locale::En, TicketStatus::New) => "New",
        (Locale::En, TicketStatus::Open) => "Open",
        (Locale::En, TicketStatus::Pending) => "Awaiting your reply",
        (Locale::En, TicketStatus::Solved) => "Solved",
        (Locale::En, TicketStatus::Closed) => "Closed",
        (Locale::Ru, TicketStatus::New) => "Новое",
        (Locale::Ru, TicketStatus::Open) => "В работе",
        (Locale::Ru, TicketStatus::Pending) => "Ждём вашего ответа",
        (Locale::Ru, TicketStatus::Solved) => "Решено",
        (Locale::Ru, TicketStatus::Closed) => "Закрыто",
    }
}

/// "2 new replies" over the customer's requests, with the right plural form.
pub fn new_replies(locale: Locale, n: u64) -> String {
    let words = match (locale, plural(locale, n)) {
        (Locale::En, Plural::One) => "new reply",
        (Locale::En, _) => "new replies",
        (Locale::Ru, Plural::One) => "новый ответ",
        (Locale::Ru, Plural::Few) => "новых ответа",
        (Locale::Ru, _) => "новых ответов",
    };
    format!("{n} {words}")
}

/// A service time as a customer reads it after "within" / «за»: minutes under an hour, hours
/// under two days, else days (rounded up: a promise is never shorter than the target).
pub fn reply_time(locale: Locale, minutes: u32) -> String {
    let minutes = u64::from(minutes.max(1));
    let (n, unit) = match minutes {
        m if m < 60 => (m, 0),
        m if m < 48 * 60 => (m.div_ceil(60), 1),
        m => (m.div_ceil(24 * 60), 2),
    };
    // Russian: the accusative after «за» («за 1 минуту», «за 2 часа», «за 5 дней»).
    let word = match (locale, unit, plural(locale, n)) {
        (Locale::En, 0, Plural::One) => "minute",
        (Locale::En, 0, _) => "minutes",
        (Locale::En, 1, Plural::One) => "hour",
        (Locale::En, 1, _) => "hours",
        (Locale::En, _, Plural::One) => "day",
        (Locale::En, _, _) => "days",
        (Locale::Ru, 0, Plural::One) => "минуту",
        (Locale::Ru, 0, Plural::Few) => "минуты",
        (Locale::Ru, 0, _) => "минут",
        (Locale::Ru, 1, Plural::One) => "час",
        (Locale::Ru, 1, Plural::Few) => "часа",
        (Locale::Ru, 1, _) => "часов",
        (Locale::Ru, _, Plural::One) => "день",
        (Locale::Ru, _, Plural::Few) => "дня",
        (Locale::Ru, _, _) => "дней",
    };
    format!("{n} {word}")
}

/// The built-in acknowledgement of a new request, with `{reply_time}` left for the caller.
pub fn acknowledgement(locale: Locale, business_hours: bool) -> &'static str {
    match (locale, business_hours) {
        (Locale::En, false) => "Thanks, we got your request. We usually answer within {reply_time}; the answer will appear here.",
        (Locale::En, true) => "Thanks, we got your request. We usually answer within {reply_time} of our working hours; the answer will appear here.",
        (Locale::Ru, false) => "Спасибо, мы получили ваше обращение. Обычно мы отвечаем за {reply_time}; ответ появится здесь.",
        (Locale::Ru, true) => "Спасибо, мы получили ваше обращение. Обычно мы отвечаем за {reply_time} рабочего времени; ответ появится здесь.",
    }
}

/// "At most 200 characters." — Russian takes the genitive after «не более».
pub fn too_long(locale: Locale, max: u64) -> String {
    match (locale, plural(locale, max)) {
        (Locale::En, Plural::One) => format!("At most {max} character."),
        (Locale::En, _) => format!("At most {max} characters."),
        (Locale::Ru, Plural::One) => format!("Не более {max} символа."),
        (Locale::Ru, _) => format!("Не более {max} символов."),
    }
}

/// "At least 5 characters."
pub fn too_short(locale: Locale, min: u64) -> String {
    match (locale, plural(locale, min)) {
        (Locale::En, Plural::One) => format!("At least {min} character."),
        (Locale::En, _) => format!("At least {min} characters."),
        (Locale::Ru, Plural::One) => format!("Не менее {min} символа."),
        (Locale::Ru, _) => format!("Не менее {min} символов."),
    }
}

/// A bound of a number field as people write it: `10`, `2.5`, `-0.75` (at most two decimals).
/// Done with integers: formatting an `f64` would pull the float printer into the widget.
fn number(x: f64) -> String {
    let hundredths = (x * 100.0).round() as i64;
    let (sign, abs) = if hundredths < 0 { ("-", -hundredths) } else { ("", hundredths) };
    match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        f if f % 10 == 0 => format!("{sign}{}.{}", abs / 100, f / 10),
        f => format!("{sign}{}.{f:02}", abs / 100),
    }
}

/// The allowed range of a number field.
pub fn out_of_range(locale: Locale, min: Option<f64>, max: Option<f64>) -> String {
    let (min, max) = (min.map(number), max.map(number));
    match (locale, min, max) {
        (Locale::En, Some(a), Some(b)) => format!("A number from {a} to {b}."),
        (Locale::En, Some(a), None) => format!("At least {a}."),
        (Locale::En, _, Some(b)) => format!("At most {b}."),
        (Locale::Ru, Some(a), Some(b)) => format!("Число от {a} до {b}."),
        (Locale::Ru, Some(a), None) => format!("Не меньше {a}."),
        (Locale::Ru, _, Some(b)) => format!("Не больше {b}."),
        (_, None, None) => form_strings(locale).invalid_number.to_owned(),
    }
}

/// A value that does not follow a field's mask.
pub fn pattern_mismatch(locale: Locale, mask: &str) -> String {
    match locale {
        Locale::En => format!("Use the format {mask} (9 is a digit, a is a letter)."),
        Locale::Ru => format!("Используйте формат {mask} (9 — цифра, a — буква)."),
    }
}

/// The confirmation shown once a request is stored.
pub fn request_received(locale: Locale, number: &str, email: &str) -> String {
    // A customer someone vouched for may have given no email: the answer comes to the tab.
    match (locale, email.trim().is_empty()) {
        (Locale::En, false) => format!("Your request number is {number}. We will reply to {email}."),
        (Locale::En, true) => format!("Your request number is {number}. We will reply here, in this tab."),
        (Locale::Ru, false) => format!("Номер вашего обращения — {number}. Мы ответим на {email}."),
        (Locale::Ru, true) => format!("Номер вашего обращения — {number}. Мы ответим здесь, в этой вкладке."),
    }
}

/// A request the server refused for good, with the reason it gave (`detail`, as the server words
/// it; empty when it gave none).
pub fn request_refused(locale: Locale, detail: &str) -> String {
    match (locale, detail.trim()) {
        (Locale::En, "") => "Your request was not accepted.".to_owned(),
        (Locale::En, detail) => format!("Your request was not accepted: {detail}"),
        (Locale::Ru, "") => "Обращение не принято.".to_owned(),
        (Locale::Ru, detail) => format!("Обращение не принято: {detail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_without_an_email_is_answered_in_the_tab() {
        assert_eq!(
            request_received(Locale::En, "DEMO-1001", "a@example.com"),
            "Your request number is DEMO-1001. We will reply to a@example.com."
        );
        assert_eq!(
            request_received(Locale::Ru, "DEMO-1001", ""),
            "Номер вашего обращения — DEMO-1001. Мы ответим здесь, в этой вкладке."
        );
    }

    #[test]
    fn reply_times_read_naturally() {
        assert_eq!(reply_time(Locale::En, 1), "1 minute");
        assert_eq!(reply_time(Locale::En, 45), "45 minutes");
        assert_eq!(reply_time(Locale::En, 60), "1 hour");
        assert_eq!(reply_time(Locale::En, 90), "2 hours");
        assert_eq!(reply_time(Locale::Ru, 21), "21 минуту");
        assert_eq!(reply_time(Locale::Ru, 4 * 60), "4 часа");
        assert_eq!(reply_time(Locale::Ru, 24 * 60), "24 часа");
        assert_eq!(reply_time(Locale::Ru, 11 * 60), "11 часов");
        assert_eq!(reply_time(Locale::Ru, 72 * 60), "3 дня");
        assert_eq!(reply_time(Locale::Ru, 21 * 24 * 60), "21 день");
        assert_eq!(reply_time(Locale::En, 7 * 24 * 60), "7 days");
    }

    #[test]
    fn the_reply_note_is_worded_only_for_a_site_with_a_target() {
        let mut config = crate::config::SiteConfig::default().public("acme");
        config.reply_minutes = 240;
        assert_eq!(reply_note(Locale::Ru, &config).as_deref(), Some("Обычно отвечаем за 4 часа"));
        config.business_hours = true;
        assert_eq!(
            reply_note(Locale::En, &config).as_deref(),
            Some("We usually reply within 4 hours of our working hours")
        );
        config.reply_minutes = 0;
        assert_eq!(reply_note(Locale::En, &config), None);
    }

    #[test]
    fn plural_forms_in_russian() {
        assert_eq!(articles_found(Locale::Ru, 1), "1 статья найдена");
        assert_eq!(articles_found(Locale::Ru, 3), "3 статьи найдено");
        assert_eq!(articles_found(Locale::Ru, 11), "11 статей найдено");
        assert_eq!(articles_found(Locale::Ru, 21), "21 статья найдена");
        assert_eq!(articles_found(Locale::En, 1), "1 article found");
        assert_eq!(reply_within(Locale::Ru, 240, false), "Обычно отвечаем за 4 часа");
        assert_eq!(reply_within(Locale::Ru, 1260, true), "Обычно отвечаем за 21 час рабочего времени");
        assert_eq!(reply_within(Locale::Ru, 2880, false), "Обычно отвечаем за 2 дня");
        assert_eq!(reply_within(Locale::En, 61, false), "We usually reply within 2 hours");
        assert_eq!(reply_within(Locale::En, 1, true), "We usually reply within 1 minute of our working hours");
        assert_eq!(too_long(Locale::Ru, 200), "Не более 200 символов.");
        assert_eq!(too_long(Locale::Ru, 21), "Не более 21 символа.");
        assert_eq!(too_long(Locale::En, 1), "At most 1 character.");
        assert_eq!(out_of_range(Locale::En, Some(0.0), Some(2.5)), "A number from 0 to 2.5.");
        assert_eq!(out_of_range(Locale::Ru, Some(-0.75), None), "Не меньше -0.75.");
        assert_eq!(out_of_range(Locale::En, None, Some(1000000.0)), "At most 1000000.");
        assert_eq!(new_replies(Locale::Ru, 1), "1 новый ответ");
        assert_eq!(new_replies(Locale::Ru, 3), "3 новых ответа");
        assert_eq!(new_replies(Locale::Ru, 12), "12 новых ответов");
        assert_eq!(new_replies(Locale::En, 2), "2 new replies");
    }

    #[test]
    fn a_refusal_reads_with_or_without_a_reason() {
        assert_eq!(request_refused(Locale::En, " Forbidden. "), "Your request was not accepted: Forbidden.");
        assert_eq!(request_refused(Locale::Ru, ""), "Обращение не принято.");
    }

    /// Each line of `ru` (a table's `Debug` text) holds Cyrillic, and the table is not `en`'s:
    /// a copy-paste of the English table into Russian would leave Latin-only strings behind.
    fn assert_translated(en: &impl std::fmt::Debug, ru: &impl std::fmt::Debug) {
        let (en, ru) = (format!("{en:?}"), format!("{ru:?}"));
        assert_ne!(ru, en);
        for line in ru.split(", ") {
            if let Some((_, value)) = line.split_once(": ") {
                assert!(
                    value.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c))),
                    "untranslated: {line}"
                );
            }
        }
    }

    #[test]
    fn every_string_is_translated() {
        assert_translated(strings(Locale::En), strings(Locale::Ru));
        assert_translated(form_strings(Locale::En), form_strings(Locale::Ru));
        assert_translated(thread_strings(Locale::En), thread_strings(Locale::Ru));
        assert_translated(page_strings(Locale::En), page_strings(Locale::Ru));
    }
}
