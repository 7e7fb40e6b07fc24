//! The contact form's strings and its checks' messages, apart from `Strings`: only the form's
//! module and the worker read them, so the widget's first screen carries none of them.

use crate::domain::Locale;

/// The contact form's fixed strings, and the messages of the checks on what it sends (the
/// worker's too): only the form's module reads them, so the first screen carries none.
#[derive(Debug)]
pub struct FormStrings {
    pub contact_title: &'static str,
    pub subject: &'static str,
    pub message: &'static str,
    pub email: &'static str,
    pub name: &'static str,
    pub optional: &'static str,
    pub send: &'static str,
    pub sent_title: &'static str,
    pub fix_errors: &'static str,
    pub new_request: &'static str,
    pub required: &'static str,
    pub invalid_email: &'static str,
    /// The site's signed token did not verify (expired, most likely).
    pub identity_refused: &'static str,
    /// The site takes requests only from customers it signed in.
    pub identity_required: &'static str,
    /// Before the signed-in customer's name or email, in place of the contact fields.
    pub signed_in_as: &'static str,
    pub invalid_url: &'static str,
    pub must_check: &'static str,
    pub invalid_choice: &'static str,
    pub invalid_number: &'static str,
    pub invalid_phone: &'static str,
    pub invalid_date: &'static str,
    pub unknown_field: &'static str,
    pub too_fast: &'static str,
    pub category: &'static str,
    pub choose: &'static str,
    pub refused_hint: &'static str,
    pub discard: &'static str,
    pub complete_check: &'static str,
    pub suggestions: &'static str,
}

const FORM_EN: FormStrings = FormStrings {
    contact_title: "Write to us",
    subject: "Subject",
    message: "Message",
    email: "Email",
    name: "Name",
    optional: "optional",
    send: "Send",
    sent_title: "Request sent",
    fix_errors: "Please correct the highlighted fields.",
    new_request: "New request",
    required: "Please fill in this field.",
    invalid_email: "Enter an email address like name@example.com.",
    identity_refused: "Your sign-in on this site could not be confirmed. Reload the page and send again.",
    identity_required: "Sign in on the site to write to support.",
    signed_in_as: "Signed in as",
    invalid_url: "Enter a full web address starting with http:// or https://.",
    must_check: "Please tick this box.",
    invalid_choice: "Choose one of the options.",
    invalid_number: "Enter a number.",
    invalid_phone: "Enter a phone number, for example +44 20 7946 0958.",
    invalid_date: "Enter a date as YYYY-MM-DD.",
    unknown_field: "This field is not part of the form.",
    too_fast: "That was very quick. Please check the form and send it again.",
    category: "What is it about?",
    choose: "Choose…",
    refused_hint: "You can edit it and send it again, or discard it.",
    discard: "Discard request",
    complete_check: "Please complete the check above (it usually takes a few seconds), then send again.",
    suggestions: "These articles may help",
};

const FORM_RU: FormStrings = FormStrings {
    contact_title: "Напишите нам",
    subject: "Тема",
    message: "Сообщение",
    email: "Электронная почта",
    name: "Имя",
    optional: "необязательно",
    send: "Отправить",
    sent_title: "Обращение отправлено",
    fix_errors: "Исправьте отмеченные поля.",
    new_request: "Новое обращение",
    required: "Заполните это поле.",
    invalid_email: "Введите адрес вида name@example.com.",
    identity_refused: "Не удалось подтвердить ваш вход на сайте. Обновите страницу и отправьте снова.",
    identity_required: "Войдите на сайте, чтобы написать в поддержку.",
    signed_in_as: "Вы вошли как",
    invalid_url: "Введите полный адрес, начинающийся с http:// или https://.",
    must_check: "Отметьте этот пункт.",
    invalid_choice: "Выберите один из вариантов.",
    invalid_number: "Введите число.",
    invalid_phone: "Введите номер телефона, например +7 900 123-45-67.",
    invalid_date: "Введите дату в формате ГГГГ-ММ-ДД.",
    unknown_field: "Такого поля нет в форме.",
    too_fast: "Слишком быстро. Проверьте форму и отправьте её ещё раз.",
    category: "Чего касается обращение?",
    choose: "Выберите…",
    refused_hint: "Можно исправить его и отправить ещё раз или удалить.",
    discard: "Удалить обращение",
    complete_check: "Пройдите проверку выше (обычно это занимает несколько секунд) и отправьте ещё раз.",
    suggestions: "Возможно, помогут эти статьи",
};

/// The form's fixed strings in `locale`.
pub fn form_strings(locale: Locale) -> &'static FormStrings {
    super::by_locale(locale, &FORM_EN, &FORM_RU)
}
