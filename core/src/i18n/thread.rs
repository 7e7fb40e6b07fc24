//! The strings of "My requests" and a request's thread, apart from `Strings`: only their module
//! reads them, so the widget's first screen carries none of them.

use crate::domain::Locale;

/// "My requests" and a request's thread: only their module reads these.
#[derive(Debug)]
pub struct ThreadStrings {
    /// Over the visitor's open requests on the home screen.
    pub open_requests: &'static str,
    pub no_requests: &'static str,
    pub requests_failed: &'static str,
    pub you: &'static str,
    pub support_team: &'static str,
    pub reply_label: &'static str,
    pub send_reply: &'static str,
    pub reply_queued: &'static str,
    pub delete_my_data: &'static str,
    pub thread_failed: &'static str,
}

const THREAD_EN: ThreadStrings = ThreadStrings {
    open_requests: "Your open requests",
    no_requests: "No requests yet",
    requests_failed: "Could not load your requests. Please try again later.",
    you: "You",
    support_team: "Support",
    reply_label: "Your reply",
    send_reply: "Reply",
    reply_queued: "Saved, waiting for the connection: your reply will be sent as soon as it is back.",
    delete_my_data: "Delete my data on this device",
    thread_failed: "Could not load the conversation. Please try again later.",
};

const THREAD_RU: ThreadStrings = ThreadStrings {
    open_requests: "Ваши открытые обращения",
    no_requests: "Обращений пока нет",
    requests_failed: "Не удалось загрузить ваши обращения. Попробуйте позже.",
    you: "Вы",
    support_team: "Поддержка",
    reply_label: "Ваш ответ",
    send_reply: "Ответить",
    reply_queued: "Сохранено, ждём связь: ответ уйдёт, как только она появится.",
    delete_my_data: "Удалить мои данные на этом устройстве",
    thread_failed: "Не удалось загрузить переписку. Попробуйте позже.",
};

/// The fixed strings of "My requests" in `locale`.
pub fn thread_strings(locale: Locale) -> &'static ThreadStrings {
    super::by_locale(locale, &THREAD_EN, &THREAD_RU)
}
