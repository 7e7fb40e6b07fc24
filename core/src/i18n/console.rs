//! The agent console's strings, in every [`Locale`]. Apart from the widget's, so the widget
//! carries none of them.

use crate::config::FieldKind;
use crate::domain::{plural, Locale, Plural, Priority, TicketStatus};
use crate::i18n::reply_time;
use crate::wire::{Delivery, DeliveryState};

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
    pub section_failed: &'static str,
    pub try_again: &'static str,
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
    /// The customer's id in the site's own system, from its signed token.
    pub verified_id: &'static str,
    /// Beside what the site's signed token vouches for.
    pub verified_badge: &'static str,
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
    pub insert_saved_reply: &'static str,
    pub insert_article: &'static str,
    pub business_hours: &'static str,
    pub utc_offset: &'static str,
    pub open_day: &'static str,
    pub settings: &'static str,
    pub embed_snippet: &'static str,
    pub embed_hint: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub agents: &'static str,
    pub invite: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub role: &'static str,
    pub since: &'static str,
    pub revoke: &'static str,
    pub token_once: &'static str,
    pub allowed_origins: &'static str,
    pub origins_hint: &'static str,
    pub first_response_minutes: &'static str,
    pub resolution_minutes: &'static str,
    pub auto_reply: &'static str,
    pub acknowledge: &'static str,
    pub acknowledgement_text: &'static str,
    pub lead_offer: &'static str,
    pub placeholders_hint: &'static str,
    pub routing: &'static str,
    pub add_rule: &'static str,
    pub remove: &'static str,
    pub any: &'static str,
    pub saved_replies: &'static str,
    pub add_reply: &'static str,
    pub reply_title: &'static str,
    pub reply_body: &'static str,
    pub contact_form: &'static str,
    pub category_required: &'static str,
    pub add_category: &'static str,
    pub id_hint: &'static str,
    pub id_label: &'static str,
    pub label: &'static str,
    pub field_type: &'static str,
    pub required: &'static str,
    pub add_field: &'static str,
    pub min_length: &'static str,
    pub max_length: &'static str,
    pub mask: &'static str,
    pub minimum: &'static str,
    pub maximum: &'static str,
    pub add_option: &'static str,
    pub option_value: &'static str,
    pub show_if: &'static str,
    pub equals: &'static str,
    pub always: &'static str,
    pub field: &'static str,
    pub option: &'static str,
    pub advanced: &'static str,
    pub save_json: &'static str,
    pub channels_title: &'static str,
    pub channels_hint: &'static str,
    pub vk_community: &'static str,
    pub telegram_bot: &'static str,
    pub connected: &'static str,
    pub group_id: &'static str,
    pub confirmation: &'static str,
    pub secret_key: &'static str,
    pub community_token: &'static str,
    pub app_id: &'static str,
    pub app_secret: &'static str,
    pub bot_token: &'static str,
    pub webhook_secret: &'static str,
    pub secret_is_set: &'static str,
    pub callback_address: &'static str,
    pub webhook_address: &'static str,
    pub save_channels: &'static str,
    pub telegram_app: &'static str,
    pub app_bot_id: &'static str,
    pub ok_app: &'static str,
    pub ok_secret: &'static str,
    pub invalid_json: &'static str,
    pub fix_first: &'static str,
    pub sections: &'static str,
    pub queue: &'static str,
    pub reports: &'static str,
    pub range_from: &'static str,
    pub range_to: &'static str,
    pub apply: &'static str,
    pub tickets_total: &'static str,
    pub answered: &'static str,
    pub first_response_median: &'static str,
    pub first_response_p90: &'static str,
    pub resolution_median: &'static str,
    pub breach_rate: &'static str,
    pub backlog: &'static str,
    pub leads: &'static str,
    pub volume_per_day: &'static str,
    pub deflection: &'static str,
    pub searches_made: &'static str,
    pub searches_without_results: &'static str,
    pub article_views: &'static str,
    pub helpful_votes: &'static str,
    pub forms_opened: &'static str,
    pub tickets_after_search: &'static str,
    pub top_failed_searches: &'static str,
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
    section_failed: "This section did not load. Check the connection and try again.",
    try_again: "Try again",
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
    verified_id: "Site account",
    verified_badge: "verified by the site",
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
    insert_saved_reply: "Insert a saved reply…",
    insert_article: "Link an article (search)",
    business_hours: "Count the targets in business hours only",
    utc_offset: "Time zone: minutes east of UTC (Moscow: 180)",
    open_day: "open",
    settings: "Settings",
    embed_snippet: "Embed code",
    embed_hint: "Put this line into every page that shows the Support tab.",
    copy: "Copy",
    copied: "Copied",
    agents: "Agents",
    invite: "Invite",
    name: "Name",
    email: "Email",
    role: "Role",
    since: "Since",
    revoke: "Revoke",
    token_once: "The new agent's token (shown only now — copy it and send it to them safely):",
    allowed_origins: "Sites the tab may be embedded in",
    origins_hint: "One origin per line, such as https://shop.example or https://*.shop.example.",
    first_response_minutes: "First response, minutes",
    resolution_minutes: "Resolution, minutes",
    auto_reply: "Automatic replies",
    acknowledge: "Acknowledge every request with the expected reply time",
    acknowledgement_text: "Own acknowledgement",
    lead_offer: "Offer to sales leads",
    placeholders_hint: "{reply_time}, {name}; empty: the built-in text.",
    routing: "Routing",
    add_rule: "Add a rule",
    remove: "Remove",
    any: "any",
    saved_replies: "Saved replies",
    add_reply: "Add a reply",
    reply_title: "Title",
    reply_body: "Text ({customer_name}, {ticket_number})",
    contact_form: "Contact form",
    category_required: "The customer must choose a category",
    add_category: "Add a category",
    id_label: "Id",
    id_hint: "Id: lowercase letters, digits, - and _; it is what the API and webhooks see.",
    label: "Label",
    field_type: "Type",
    required: "Required",
    add_field: "Add a field",
    min_length: "Shortest, characters",
    max_length: "Longest, characters",
    mask: "Mask (9 a digit, a a letter, * either)",
    minimum: "Smallest",
    maximum: "Largest",
    add_option: "Add a choice",
    option_value: "Value",
    show_if: "Show only when field",
    equals: "equals",
    always: "(always shown)",
    field: "Field",
    option: "Choice",
    advanced: "Everything else (JSON: triage, webhook, theme…)",
    save_json: "Save JSON",
    channels_title: "Channels: VK and Telegram",
    channels_hint: "Questions from your VK community and Telegram bot land in this queue; replies go back where they were asked. Secrets are never shown again: leave a field empty to keep it.",
    vk_community: "VK community",
    telegram_bot: "Telegram bot",
    connected: "Connected",
    group_id: "Community id",
    confirmation: "Confirmation string",
    secret_key: "Secret key",
    community_token: "Community access token",
    app_id: "Mini App id (optional)",
    app_secret: "Mini App secure key (optional)",
    bot_token: "Bot token",
    webhook_secret: "Webhook secret",
    secret_is_set: "set; empty keeps it",
    callback_address: "Address for VK's Callback API",
    webhook_address: "Address for Telegram's setWebhook (with the secret as secret_token)",
    save_channels: "Save channels",
    telegram_app: "Telegram Mini App of a bot Tabdesk does not run (checked by Telegram's signature)",
    app_bot_id: "Its bot's id",
    ok_app: "OK (Odnoklassniki) app",
    ok_secret: "Application secret key",
    invalid_json: "This is not a valid configuration:",
    fix_first: "Fix these first:",
    sections: "Sections",
    queue: "Queue",
    reports: "Reports",
    range_from: "From",
    range_to: "To",
    apply: "Show",
    tickets_total: "Tickets",
    answered: "Answered",
    first_response_median: "First response, median",
    first_response_p90: "First response, 90th percentile",
    resolution_median: "Resolution, median",
    breach_rate: "SLA breached",
    backlog: "Open now",
    leads: "Sales leads",
    volume_per_day: "Tickets per day",
    deflection: "Knowledge base",
    searches_made: "Searches",
    searches_without_results: "Searches without results",
    article_views: "Articles read",
    helpful_votes: "Helpful / not helpful",
    forms_opened: "Forms opened",
    tickets_after_search: "Tickets after a search",
    top_failed_searches: "Searches that found nothing",
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
    section_failed: "Раздел не загрузился. Проверьте подключение и попробуйте ещё раз.",
    try_again: "Попробовать ещё раз",
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
    verified_id: "Аккаунт на сайте",
    verified_badge: "подтверждено сайтом",
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
    insert_saved_reply: "Вставить шаблон ответа…",
    insert_article: "Ссылка на статью (поиск)",
    business_hours: "Считать сроки только в рабочее время",
    utc_offset: "Часовой пояс: минут к востоку от UTC (Москва: 180)",
    open_day: "рабочий",
    settings: "Настройки",
    embed_snippet: "Код для сайта",
    embed_hint: "Вставьте эту строку на каждую страницу, где нужна вкладка «Поддержка».",
    copy: "Скопировать",
    copied: "Скопировано",
    agents: "Агенты",
    invite: "Пригласить",
    name: "Имя",
    email: "Почта",
    role: "Роль",
    since: "С",
    revoke: "Отозвать",
    token_once: "Токен нового агента (показан только сейчас — скопируйте и передайте его надёжным способом):",
    allowed_origins: "Сайты, где можно встроить вкладку",
    origins_hint: "По одному адресу в строке, например https://shop.example или https://*.shop.example.",
    first_response_minutes: "Первый ответ, минут",
    resolution_minutes: "Решение, минут",
    auto_reply: "Автоматические ответы",
    acknowledge: "Подтверждать каждое обращение с ожидаемым временем ответа",
    acknowledgement_text: "Свой текст подтверждения",
    lead_offer: "Предложение для покупателей",
    placeholders_hint: "{reply_time}, {name}; пусто — встроенный текст.",
    routing: "Распределение",
    add_rule: "Добавить правило",
    remove: "Удалить",
    any: "любой",
    saved_replies: "Шаблоны ответов",
    add_reply: "Добавить шаблон",
    reply_title: "Название",
    reply_body: "Текст ({customer_name}, {ticket_number})",
    contact_form: "Форма обращения",
    category_required: "Клиент должен выбрать категорию",
    add_category: "Добавить категорию",
    id_label: "Идентификатор",
    id_hint: "Идентификатор: строчные латинские буквы, цифры, - и _; его видят API и вебхуки.",
    label: "Название",
    field_type: "Тип",
    required: "Обязательное",
    add_field: "Добавить поле",
    min_length: "Не короче, символов",
    max_length: "Не длиннее, символов",
    mask: "Маска (9 — цифра, a — буква, * — любое из них)",
    minimum: "Не меньше",
    maximum: "Не больше",
    add_option: "Добавить вариант",
    option_value: "Значение",
    show_if: "Показывать, только когда поле",
    equals: "равно",
    always: "(показывать всегда)",
    field: "Поле",
    option: "Вариант",
    advanced: "Всё остальное (JSON: разбор, вебхук, тема…)",
    save_json: "Сохранить JSON",
    channels_title: "Каналы: VK и Telegram",
    channels_hint: "Вопросы из вашего сообщества VK и бота Telegram попадают в эту очередь, ответы уходят туда, где спросили. Секреты больше не показываются: оставьте поле пустым, чтобы не менять его.",
    vk_community: "Сообщество VK",
    telegram_bot: "Бот Telegram",
    connected: "Подключено",
    group_id: "ID сообщества",
    confirmation: "Строка подтверждения",
    secret_key: "Секретный ключ",
    community_token: "Ключ доступа сообщества",
    app_id: "ID мини-приложения (необязательно)",
    app_secret: "Защищённый ключ мини-приложения (необязательно)",
    bot_token: "Токен бота",
    webhook_secret: "Секрет вебхука",
    secret_is_set: "задан; пустое поле его сохранит",
    callback_address: "Адрес для Callback API в VK",
    webhook_address: "Адрес для setWebhook в Telegram (секрет передайте как secret_token)",
    save_channels: "Сохранить каналы",
    telegram_app: "Мини-приложение Telegram у бота, которого Tabdesk не ведёт (по подписи Telegram)",
    app_bot_id: "ID его бота",
    ok_app: "Приложение в ОК (Одноклассники)",
    ok_secret: "Секретный ключ приложения",
    invalid_json: "Это не подходящая конфигурация:",
    fix_first: "Сначала исправьте:",
    sections: "Разделы",
    queue: "Очередь",
    reports: "Отчёты",
    range_from: "С",
    range_to: "По",
    apply: "Показать",
    tickets_total: "Обращений",
    answered: "С ответом",
    first_response_median: "Первый ответ, медиана",
    first_response_p90: "Первый ответ, 90-й перцентиль",
    resolution_median: "Решение, медиана",
    breach_rate: "Сроки нарушены",
    backlog: "Открыто сейчас",
    leads: "Продажи",
    volume_per_day: "Обращений в день",
    deflection: "База знаний",
    searches_made: "Поиски",
    searches_without_results: "Поиски без результатов",
    article_views: "Прочтения статей",
    helpful_votes: "Помогло / не помогло",
    forms_opened: "Открытия формы",
    tickets_after_search: "Обращения после поиска",
    top_failed_searches: "Поиски без результатов: что искали",
};

/// The console's fixed strings of `locale`.
pub fn console_strings(locale: Locale) -> &'static ConsoleStrings {
    super::by_locale(locale, &EN, &RU)
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

/// A channel's name as people read it (`vk` is VK, `telegram` is Telegram, `ok` is OK, `site`
/// the site); the widget names a platform's visitor who gave no name by it too.
pub fn channel_name(locale: Locale, channel: &str) -> String {
    match (channel, locale) {
        ("vk", _) => "VK".to_owned(),
        ("telegram", _) => "Telegram".to_owned(),
        ("ok", _) => "OK".to_owned(),
        ("site", Locale::En) => "Website".to_owned(),
        ("site", Locale::Ru) => "Сайт".to_owned(),
        (other, _) => other.to_owned(),
    }
}

/// Where an agent's reply on a ticket from a channel got to.
pub fn delivery(locale: Locale, delivery: &Delivery) -> String {
    let to = channel_name(locale, &delivery.channel);
    let detail = delivery.detail.as_deref().unwrap_or_default();
    match (locale, delivery.state) {
        (Locale::En, DeliveryState::Sent) => format!("Sent to {to}"),
        (Locale::En, DeliveryState::Pending) if detail.is_empty() => format!("Sending to {to}…"),
        (Locale::En, DeliveryState::Pending) => format!("Sending to {to}, trying again: {detail}"),
        (Locale::En, DeliveryState::Failed) => format!("Not sent to {to}: {detail}"),
        (Locale::Ru, DeliveryState::Sent) => format!("Отправлено в {to}"),
        (Locale::Ru, DeliveryState::Pending) if detail.is_empty() => format!("Отправляется в {to}…"),
        (Locale::Ru, DeliveryState::Pending) => format!("Отправляется в {to}, ещё попытка: {detail}"),
        (Locale::Ru, DeliveryState::Failed) => format!("Не отправлено в {to}: {detail}"),
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

/// The name of a kind of form field, as the settings' type list shows it.
pub fn field_kind(locale: Locale, kind: FieldKind) -> &'static str {
    let ru = locale == Locale::Ru;
    match kind {
        FieldKind::Text => {
            if ru {
                "Строка"
            } else {
                "Text"
            }
        }
        FieldKind::Textarea => {
            if ru {
                "Абзац"
            } else {
                "Paragraph"
            }
        }
        FieldKind::Email => "Email",
        FieldKind::Phone => {
            if ru {
                "Телефон"
            } else {
                "Phone"
            }
        }
        FieldKind::Number => {
            if ru {
                "Число"
            } else {
                "Number"
            }
        }
        FieldKind::Select => {
            if ru {
                "Один из вариантов"
            } else {
                "One of several"
            }
        }
        FieldKind::Multiselect => {
            if ru {
                "Несколько вариантов"
            } else {
                "Several of several"
            }
        }
        FieldKind::Checkbox => {
            if ru {
                "Флажок"
            } else {
                "Checkbox"
            }
        }
        FieldKind::Date => {
            if ru {
                "Дата"
            } else {
                "Date"
            }
        }
        FieldKind::Url => {
            if ru {
                "Ссылка"
            } else {
                "Link"
            }
        }
    }
}

/// A weekday's name, 1 being Monday.
pub fn weekday(locale: Locale, day: u8) -> &'static str {
    const EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    const RU: [&str; 7] = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"];
    let names = if locale == Locale::Ru { &RU } else { &EN };
    names.get(usize::from(day.max(1) - 1)).copied().unwrap_or_default()
}

/// A duration in seconds, short: "45 s", "12 min", "3 h 20 min", "2 d 4 h".
pub fn duration(locale: Locale, seconds: u64) -> String {
    let (s, min, h, d) = match locale {
        Locale::En => ("s", "min", "h", "d"),
        Locale::Ru => ("с", "мин", "ч", "д"),
    };
    match seconds {
        n if n < 60 => format!("{n} {s}"),
        n if n < 3_600 => format!("{} {min}", n / 60),
        n if n < 86_400 => match n % 3_600 / 60 {
            0 => format!("{} {h}", n / 3_600),
            m => format!("{} {h} {m} {min}", n / 3_600),
        },
        n => match n % 86_400 / 3_600 {
            0 => format!("{} {d}", n / 86_400),
            hours => format!("{} {d} {hours} {h}", n / 86_400),
        },
    }
}

/// A share (0-1) as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
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
        assert_eq!(duration(Locale::En, 45), "45 s");
        assert_eq!(duration(Locale::En, 1800), "30 min");
        assert_eq!(duration(Locale::Ru, 2 * 3600 + 5 * 60), "2 ч 5 мин");
        assert_eq!(duration(Locale::En, 3 * 86_400), "3 d");
        assert_eq!(percent(0.8), "80%");
    }
}
