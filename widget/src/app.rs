//! The widget's frame: header with back and close, and the current screen.

use leptos::prelude::*;
use tabdesk_core::i18n::{request_received, strings};
use tabdesk_core::validate::MAX_VIEWED_ARTICLES;
use tabdesk_core::wire::{EmbedBoot, EmbedMode, FrameMessage, PageContext};

use crate::article::ArticleView;
use crate::contact::Contact;
use crate::host;
use crate::outbox::Outbox;
use crate::search::{Search, SearchState};

#[derive(Clone, Copy, PartialEq)]
enum Screen {
    Home,
    Contact,
}

#[component]
pub fn App(boot: EmbedBoot) -> impl IntoView {
    let locale = boot.locale;
    let s = strings(locale);
    let config = boot.config;
    let site = config.site.clone();
    let context = RwSignal::new(PageContext::default());
    let outbox = Outbox::new(&site);
    let restored = RwSignal::new(false);
    host::connect(boot.parent_origin.clone(), context, outbox, restored);
    if let Some(channel) = config.channels.first() {
        context.update(|c| c.channel = Some(channel.clone()));
    }
    let screen = RwSignal::new(Screen::Home);
    // The article read inline over the current screen, and every article read this visit
    // (they go with a request, so agents see what the customer already tried).
    let article = RwSignal::new(None::<String>);
    let viewed = RwSignal::new(Vec::<String>::new());
    let on_open = Callback::new(move |id: String| {
        viewed.update(|v| {
            if !v.contains(&id) && v.len() < MAX_VIEWED_ARTICLES {
                v.push(id.clone());
            }
        });
        article.set(Some(id));
    });
    // Lives here, not in the search screen, so that "Back" finds the query and results as left.
    let search = SearchState::new(site.clone(), locale);
    let framed = boot.mode == EmbedMode::Frame;
    let on_contact = Callback::new(move |()| {
        article.set(None);
        screen.set(Screen::Contact);
    });
    let form = StoredValue::new(config.form.clone());
    let site = StoredValue::new(site);
    // A request the server refused while queued goes back to the form.
    Effect::new(move |_| {
        if outbox.refused.with(Option::is_some) {
            screen.set(Screen::Contact);
        }
    });

    let body = move || {
        if let Some(done) = outbox.delivered.get() {
            return view! {
                <section class="sent" role="status">
                    <h2>{s.sent_title}</h2>
                    <p class="number">{request_received(locale, &done.number, &done.email)}</p>
                    <button class="secondary" type="button"
                        on:click=move |_| { outbox.delivered.set(None); screen.set(Screen::Contact); }>
                        {s.new_request}
                    </button>
                </section>
            }
            .into_any();
        }
        if outbox.pending.with(Option::is_some) {
            return view! {
                <section class="queued" role="status">
                    <h2>{s.queued_title}</h2>
                    <p>{s.queued_body}</p>
                    <button class="secondary" type="button" on:click=move |_| outbox.retry_now()>{s.retry_now}</button>
                </section>
            }
            .into_any();
        }
        if let Some(id) = article.get() {
            return view! { <ArticleView site=site.get_value() id=id locale=locale on_contact=on_contact/> }.into_any();
        }
        match screen.get() {
            Screen::Home => view! { <Search state=search on_contact=on_contact on_open=on_open/> }.into_any(),
            Screen::Contact => view! {
                <Contact site=site.get_value() locale=locale form=form.get_value() context=context outbox=outbox
                    restored=restored viewed=viewed on_open=on_open/>
            }
            .into_any(),
        }
    };

    view! {
        <div class=if framed { "panel" } else { "panel page" }>
            <header class="bar">
                <Show when=move || screen.get() != Screen::Home || article.with(Option::is_some)>
                    <button class="icon" type="button" aria-label=s.back on:click=move |_| {
                        // Back from an article returns to where it was opened.
                        if article.get_untracked().is_some() {
                            article.set(None);
                        } else {
                            outbox.delivered.set(None);
                            screen.set(Screen::Home);
                        }
                    }>"←"</button>
                </Show>
                <h1>{config.name.clone()}</h1>
                {framed.then(|| view! {
                    <button class="icon close" type="button" aria-label=s.close
                        on:click=|_| host::post(&FrameMessage::Close)>"×"</button>
                })}
            </header>
            <main class="body">{body}</main>
        </div>
    }
}
