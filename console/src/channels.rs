//! The site's channels, for admins: its VK community and Telegram bot, connected with the
//! addresses to give each platform. Secrets are write-only (the worker shows only whether one is
//! set): a field left empty keeps what is stored, and the worker's field errors are shown as
//! they come (core's `channel::apply` judges them).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::i18n::console::console_strings;
use tabdesk_core::wire::{ChannelsUpdate, ChannelsView, OkUpdate, TelegramApp, TelegramUpdate, VkUpdate};
use tabdesk_ui::cell::Cell;

use crate::api::{self, failure_text};
use crate::session::Session;

/// What the admin typed, a signal per field; empty secrets are left out of the update (kept).
#[derive(Clone, Copy)]
struct Typed {
    vk: Cell<bool>,
    group_id: Cell<String>,
    confirmation: Cell<String>,
    secret: Cell<String>,
    access_token: Cell<String>,
    app_id: Cell<String>,
    app_secret: Cell<String>,
    telegram: Cell<bool>,
    bot_token: Cell<String>,
    webhook_secret: Cell<String>,
    app_bot_id: Cell<String>,
    ok: Cell<bool>,
    ok_secret: Cell<String>,
}

fn given(field: Cell<String>) -> Option<String> {
    Some(field.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
}

impl Typed {
    fn new() -> Typed {
        let text = || Cell::new(String::new());
        Typed {
            vk: Cell::new(false),
            group_id: text(),
            confirmation: text(),
            secret: text(),
            access_token: text(),
            app_id: text(),
            app_secret: text(),
            telegram: Cell::new(false),
            bot_token: text(),
            webhook_secret: text(),
            app_bot_id: text(),
            ok: Cell::new(false),
            ok_secret: text(),
        }
    }

    /// Shows what is stored: what is not secret, and empty secret fields.
    fn show(self, view: &ChannelsView) {
        let vk = view.vk.as_ref();
        self.vk.set(vk.is_some());
        self.group_id.set(vk.map(|v| v.group_id.to_string()).unwrap_or_default());
        self.confirmation.set(vk.map(|v| v.confirmation.clone()).unwrap_or_default());
        self.app_id.set(vk.and_then(|v| v.app_id).map(|id| id.to_string()).unwrap_or_default());
        self.telegram.set(view.telegram.is_some());
        self.app_bot_id.set(view.telegram_app.as_ref().map(|a| a.bot_id.to_string()).unwrap_or_default());
        self.ok.set(view.ok.is_some());
        for secret in
            [self.secret, self.access_token, self.app_secret, self.bot_token, self.webhook_secret, self.ok_secret]
        {
            secret.set(String::new());
        }
    }

    /// The update; a number that does not parse is sent as 0, so the worker names the field.
    fn update(self) -> ChannelsUpdate {
        let number = |field| given(field).map(|n| n.parse().unwrap_or(0));
        ChannelsUpdate {
            vk: self.vk.get_untracked().then(|| VkUpdate {
                group_id: number(self.group_id).unwrap_or(0),
                confirmation: given(self.confirmation).unwrap_or_default(),
                secret: given(self.secret),
                access_token: given(self.access_token),
                app_id: number(self.app_id),
                app_secret: given(self.app_secret),
            }),
            telegram: self.telegram.get_untracked().then(|| TelegramUpdate {
                bot_token: given(self.bot_token),
                webhook_secret: given(self.webhook_secret),
            }),
            telegram_app: number(self.app_bot_id).map(|bot_id| TelegramApp { bot_id }),
            ok: self.ok.get_untracked().then(|| OkUpdate { app_secret: given(self.ok_secret) }),
        }
    }
}

/// A labelled input for `value`; a secret's field says whether one is stored (`set`).
fn input(id: &'static str, label: &'static str, value: Cell<String>, set: Option<Signal<bool>>) -> impl IntoView {
    let s = console_strings(expect_context::<Session>().locale);
    let placeholder = move || set.filter(|set| set.get()).map(|_| s.secret_is_set);
    view! {
        <label for=id>{label}</label>
        <input id=id type=if set.is_some() { "password" } else { "text" } autocomplete="off" placeholder=placeholder
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

/// A channel's "connected" switch, as its fieldset's legend.
fn switch(label: &'static str, connected: &'static str, on: Cell<bool>) -> impl IntoView {
    view! {
        <legend>
            <label>
                <input type="checkbox" prop:checked=move || on.get() on:change=move |ev| on.set(event_target_checked(&ev))/>
                {label}" — "{connected}
            </label>
        </legend>
    }
}

#[component]
pub fn Channels() -> impl IntoView {
    let session = expect_context::<Session>();
    let s = console_strings(session.locale);
    let shown = Cell::new(ChannelsView::default());
    let typed = Typed::new();
    let notice = Cell::new(None::<String>);
    // The form shows once the stored channels are read: a switch flipped before would be undone
    // by the reading, and a form saved without it would disconnect what is connected.
    let read = Cell::new(false);
    let take = move |view: ChannelsView| {
        typed.show(&view);
        shown.set(view);
        read.set(true);
    };
    spawn_local(async move {
        match api::channels(&session.token(), &session.site()).await {
            Ok(view) => take(view),
            Err(failure) => notice.set(Some(failure_text(s, failure))),
        }
    });
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let update = typed.update();
        spawn_local(async move {
            match api::save_channels(&session.token(), &session.site(), &update).await {
                Ok(view) => {
                    take(view);
                    notice.set(Some(s.saved.to_owned()));
                }
                Err(failure) => notice.set(Some(failure_text(s, failure))),
            }
        });
    };
    let set = move |f: fn(&ChannelsView) -> bool| Some(Signal::derive(move || shown.with(f)));
    let address = move |label: &'static str, url: Option<String>| {
        url.map(|url| view! { <p class="hint">{label}": "<code>{url}</code></p> })
    };
    view! {
        <section class="panel" aria-labelledby="channels-title">
            <h2 id="channels-title">{s.channels_title}</h2>
            <p class="hint">{s.channels_hint}</p>
            {tabdesk_ui::shown(move || !read.get(), move || tabdesk_ui::fresh(view! { <p class="hint">{s.loading}</p> }))}
            {tabdesk_ui::shown(move || read.get(), move || tabdesk_ui::fresh(view! {
                <form class="channels" on:submit=save>
                    <fieldset>
                        {switch(s.vk_community, s.connected, typed.vk)}
                        {input("vk-group", s.group_id, typed.group_id, None)}
                        {input("vk-confirmation", s.confirmation, typed.confirmation, None)}
                        {input("vk-secret", s.secret_key, typed.secret, set(|v| v.vk.as_ref().is_some_and(|v| v.secret_set)))}
                        {input("vk-token", s.community_token, typed.access_token, set(|v| v.vk.as_ref().is_some_and(|v| v.access_token_set)))}
                        {input("vk-app", s.app_id, typed.app_id, None)}
                        {input("vk-app-secret", s.app_secret, typed.app_secret, set(|v| v.vk.as_ref().is_some_and(|v| v.app_secret_set)))}
                        {move || address(s.callback_address, shown.with(|v| v.vk.as_ref().map(|v| v.callback_url.clone())))}
                    </fieldset>
                    <fieldset>
                        {switch(s.telegram_bot, s.connected, typed.telegram)}
                        {input("tg-token", s.bot_token, typed.bot_token, set(|v| v.telegram.as_ref().is_some_and(|t| t.bot_token_set)))}
                        {input("tg-secret", s.webhook_secret, typed.webhook_secret, set(|v| v.telegram.as_ref().is_some_and(|t| t.webhook_secret_set)))}
                        {move || address(s.webhook_address, shown.with(|v| v.telegram.as_ref().map(|t| t.webhook_url.clone())))}
                    </fieldset>
                    <fieldset>
                        <legend>{s.telegram_app}</legend>
                        {input("tg-app-bot", s.app_bot_id, typed.app_bot_id, None)}
                    </fieldset>
                    <fieldset>
                        {switch(s.ok_app, s.connected, typed.ok)}
                        {input("ok-secret", s.ok_secret, typed.ok_secret, set(|v| v.ok.as_ref().is_some_and(|o| o.app_secret_set)))}
                    </fieldset>
                    <button class="primary" type="submit">{s.save_channels}</button>
                </form>
            }))}
            <p class="notice" role="status">{move || notice.get()}</p>
        </section>
    }
}
