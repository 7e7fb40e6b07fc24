//! The agent console's strings, in every [`Locale`]. Apart from the widget's, so the widget
//! carries none of them.

use crate::domain::{plural, Locale, Plural, Priority, TicketStatus};
use crate::i18n::reply_time;

/// Fixed strings of the console in one language.
#[derive(Debug)]
pub struct ConsoleStrings {
    pub title: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_hint: &'static str,
    pub token_label: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub token_unknown: &'static str,
    pub no_connection: &'static str,
    pub sign_out: &'static str,
    pub role_admin: &'static str,
    pub role_agent: &'static str,
    pub views_label: &'static str,
    pub view_new: &'static str,
    pub view_mine: &'static str,
    pub view_unassigned: &'static str,
    pub view_needs_response: &'static str,
    pub view_breached: &'static str,
    pub view_sales_leads: &'static str,
    pub view_solved: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub empty_queue: &'static str,
    pub load_more: &'static str,
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub shortcuts_title: &'static str,
    pub shortcuts_button: &'static str,
    pub shortcut_next: &'static str,
    pub shortcut_previous: &'static str,
    pub shortcut_open: &'static str,
    pub shortcut_search: &'static str,
    pub shortcut_back: &'static str,
    pub shortcut_help: &'static str,
    pub close: &'static str,
    pub back_to_queue: &'static str,
    pub no_such_ticket: &'static str,
    pub customer: &'static str,
    pub customer_author: &'static str,
    pub automatic_author: &'static str,
    pub agent_author: &'static str,
    pub internal_badge: &'static str,
    pub page: &'static str,
    pub referrer: &'static str,
    pub channel: &'static str,
    pub language: &'static str,
    pub browser: &'static str,
    pub category: &'static str,
    pub fields: &'static str,
    pub viewed_articles: &'static str,
    pub searches: &'static str,
    pub triage: &'static str,
    pub topic: &'static str,
    pub sentiment: &'static str,
    pub intent: &'static str,
    pub urgent: &'static str,
    pub needs_response: &'static str,
    pub sales_lead: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub service_level: &'static str,
    pub first_response: &'static str,
    pub resolution: &'static str,
    pub status: &'static str,
    pub priority: &'static str,
    pub assignee: &'static str,
    pub unassigned: &'static str,
    pub assign_to_me: &'static str,
    pub tags: &'static str,
    pub tags_hint: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub thread: &'static str,
    pub reply_public: &'static str,
    pub reply_internal: &'static str,
    pub composer_label: &'static str,
    pub composer_public_hint: &'static str,
    pub composer_internal_hint: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub send_waiting: &'static str,
    pub send_refused: &'static str,
    pub just_now: &'static str,
}

pub static EN: ConsoleStrings = ConsoleStrings {
    title: "Tabdesk console",
    sign_in_title: "Sign in to the console",
    sign_in_hint:
        "Paste the token an admin of your site gave you (or the site's admin token). It is kept in this tab only.",
    token_label: "Agent or admin token",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    token_unknown: "This token is unknown or was revoked. Ask an admin of your site for a new one.",
    no_connection: "No connection to the server. Try again in a moment.",
    sign_out: "Sign out",
    role_admin: "Admin",
    role_agent: "Agent",
    views_label: "Views",
    view_new: "New",
    view_mine: "Mine",
    view_unassigned: "Unassigned",
    view_needs_response: "Needs a response",
    view_breached: "SLA breached",
    view_sales_leads: "Sales leads",
    view_solved: "Solved",
    search_label: "Search tickets",
    search_placeholder: "Subject, message or email",
    empty_queue: "No tickets here.",
    load_more: "Load more",
    loading: "Loading…",
    load_failed: "Could not load; trying again shortly.",
    shortcuts_title: "Keyboard shortcuts",
    shortcuts_button: "Shortcuts",
    shortcut_next: "next ticket",
    shortcut_previous: "previous ticket",
    shortcut_open: "open the ticket",
    shortcut_search: "search",
    shortcut_back: "back to the queue",
    shortcut_help: "show or hide this list",
    close: "Close",
    back_to_queue: "Back to the queue",
    no_such_ticket: "No such ticket.",
    customer: "Customer",
    customer_author: "Customer",
    automatic_author: "Automatic message",
    agent_author: "Agent",
    internal_badge: "Internal note",
    page: "Page",
    referrer: "Came from",
    channel: "Channel",
    language: "Language",
    browser: "Browser",
    category: "Category",
    fields: "Fields",
    viewed_articles: "Articles read before writing",
    searches: "Searched for",
    triage: "Triage",
    topic: "Topic",
    sentiment: "Sentiment",
    intent: "Intent",
    urgent: "Urgent",
    needs_response: "Needs a response",
    sales_lead: "Sales lead",
    yes: "yes",
    no: "no",
    service_level: "Service level",
    first_response: "First response",
    resolution: "Resolution",
    status: "Status",
    priority: "Priority",
    assignee: "Assignee",
    unassigned: "Unassigned",
    assign_to_me: "Assign to me",
    tags: "Tags",
    tags_hint: "Separated by commas",
    save: "Save",
    saved: "Saved",
    thread: "Conversation",
    reply_public: "Reply to the customer",
    reply_internal: "Internal note",
    composer_label: "Message",
    composer_public_hint: "The customer sees this reply.",
    composer_internal_hint: "Only agents see this note.",
    send: "Send",
    sending: "Sending…",
    send_waiting: "No connection: it will be sent when the connection is back.",
    send_refused: "Not sent:",
    just_now: "just now",
};

pub static RU: ConsoleStrings = ConsoleStrings {
    title: "Консоль Tabdesk",
    sign_in_title: "Вход в консоль",
    sign_in_hint: "Вставьте токен, который выдал администратор сайта (или токен администратора сайта). Он хранится только в этой вкладке.",
    token_label: "Токен агента или администратора",
    sign_in: "Войти",
    signing_in: "Входим…",
    token_unknown: "Такой токен не найден или отозван. Попросите у администратора сайта новый.",
    no_connection: "Нет связи с сервером. Попробуйте ещё раз через минуту.",
    sign_out: "Выйти",
    role_admin: "Администратор",
    role_agent: "Агент",
    views_label: "Представления",
    view_new: "Новые",
    view_mine: "Мои",
    view_unassigned: "Без исполнителя",
    view_needs_response: "Ждут ответа",
    view_breached: "Сроки нарушены",
    view_sales_leads: "Продажи",
    view_solved: "Решённые",
    search_label: "Поиск по обращениям",
    search_placeholder: "Тема, сообщение или почта",
    empty_queue: "Здесь нет обращений.",
    load_more: "Показать ещё",
    loading: "Загрузка…",
    load_failed: "Не удалось загрузить; скоро попробуем снова.",
    shortcuts_title: "Горячие клавиши",
    shortcuts_button: "Клавиши",
    shortcut_next: "следующее обращение",
    shortcut_previous: "предыдущее обращение",
    shortcut_open: "открыть обращение",
    shortcut_search: "поиск",
    shortcut_back: "назад к очереди",
    shortcut_help: "показать или скрыть этот список",
    close: "Закрыть",
    back_to_queue: "К очереди",
    no_such_ticket: "Такого обращения нет.",
    customer: "Клиент",
    customer_author: "Клиент",
    automatic_author: "Автоматическое сообщение",
    agent_author: "Агент",
    internal_badge: "Внутренняя заметка",
    page: "Страница",
    referrer: "Пришёл с",
    channel: "Канал",
    language: "Язык",
    browser: "Браузер",
    category: "Категория",
    fields: "Поля",
    viewed_articles: "Прочитанные до обращения статьи",
    searches: "Искал",
    triage: "Разбор",
    topic: "Тема",
    sentiment: "Настроение",
    intent: "Намерение",
    urgent: "Срочно",
    needs_response: "Нужен ответ",
    sales_lead: "Продажа",
    yes: "да",
    no: "нет",
    service_level: "Сроки",
    first_response: "Первый ответ",
    resolution: "Решение",
    status: "Статус",
    priority: "Приоритет",
    assignee: "Исполнитель",
    unassigned: "Не назначен",
    assign_to_me: "Взять себе",
    tags: "Метки",
    tags_hint: "Через запятую",
    save: "Сохранить",
    saved: "Сохранено",
    thread: "Переписка",
    reply_public: "Ответ клиенту",
    reply_internal: "Внутренняя заметка",
    composer_label: "Сообщение",
    composer_public_hint: "Клиент увидит этот ответ.",
    composer_internal_hint: "Эту заметку видят только агенты.",
    send: "Отправить",
    sending: "Отправляем…",
    send_waiting: "Нет связи: отправим, когда она появится.",
    send_refused: "Не отправлено:",
    just_now: "только что",
};

/// The console's fixed strings of `locale`.
pub fn console_strings(locale: Locale) -> &'static ConsoleStrings {
    match locale {
        Locale::En => &EN,
        Locale::Ru => &RU,
    }
}

/// A ticket's status as agents name it.
pub fn agent_status(locale: Locale, status: TicketStatus) -> &'static str {
    match (locale, status) {
        (Locale::En, TicketStatus::New) => "New",
        (Locale::En, TicketStatus::Open) => "Open",
        (Locale::En, TicketStatus::Pending) => "Pending",
        (Locale::En, TicketStatus::Solved) => "Solved",
        (Locale::En, TicketStatus::Closed) => "Closed",
        (Locale::Ru, TicketStatus::New) => "Новое",
        (Locale::Ru, TicketStatus::Open) => "Открыто",
        (Locale::Ru, TicketStatus::Pending) => "Ждёт клиента",
        (Locale::Ru, TicketStatus::Solved) => "Решено",
        (Locale::Ru, TicketStatus::Closed) => "Закрыто",
    }
}

pub fn priority_name(locale: Locale, priority: Priority) -> &'static str {
    match (locale, priority) {
        (Locale::En, Priority::Low) => "Low",
        (Locale::En, Priority::Normal) => "Normal",
        (Locale::En, Priority::High) => "High",
        (Locale::En, Priority::Urgent) => "Urgent",
        (Locale::Ru, Priority::Low) => "Низкий",
        (Locale::Ru, Priority::Normal) => "Обычный",
        (Locale::Ru, Priority::High) => "Высокий",
        (Locale::Ru, Priority::Urgent) => "Срочный",
    }
}

/// How far `ms` (signed: positive is the future) is from now, as agents read a due time or an
/// age: "in 3 hours", "5 minutes ago"; under a minute, "just now".
pub fn relative(locale: Locale, ms: i64) -> String {
    let minutes = ms.unsigned_abs() / 60_000;
    if minutes == 0 {
        return console_strings(locale).just_now.to_owned();
    }
    let span = reply_time(locale, u32::try_from(minutes).unwrap_or(u32::MAX));
    match (locale, ms > 0) {
        (Locale::En, true) => format!("in {span}"),
        (Locale::En, false) => format!("{span} ago"),
        (Locale::Ru, true) => format!("через {span}"),
        (Locale::Ru, false) => format!("{span} назад"),
    }
}

/// "3 tickets" with the right plural form.
pub fn tickets(locale: Locale, n: u64) -> String {
    let noun = match (locale, plural(locale, n)) {
        (Locale::En, Plural::One) => "ticket",
        (Locale::En, _) => "tickets",
        (Locale::Ru, Plural::One) => "обращение",
        (Locale::Ru, Plural::Few) => "обращения",
        (Locale::Ru, _) => "обращений",
    };
    format!("{n} {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative(Locale::En, 30_000), "just now");
        assert_eq!(relative(Locale::En, 3 * 3_600_000), "in 3 hours");
        assert_eq!(relative(Locale::En, -5 * 60_000), "5 minutes ago");
        assert_eq!(relative(Locale::Ru, 2 * 3_600_000), "через 2 часа");
        assert_eq!(relative(Locale::Ru, -21 * 60_000), "21 минуту назад");
        assert_eq!(relative(Locale::Ru, -5 * 86_400_000), "5 дней назад");
        assert_eq!(tickets(Locale::Ru, 22), "22 обращения");
        assert_eq!(tickets(Locale::Ru, 11), "11 обращений");
    }
}
