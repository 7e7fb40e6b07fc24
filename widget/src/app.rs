//! The widget's frame: header with back and close, and the current screen.

use leptos::prelude::*;
use tabdesk_core::i18n::{request_received, strings};
use tabdesk_core::wire::{EmbedBoot, EmbedMode, FrameMessage, PageContext};

use crate::contact::Contact;
use crate::host;
use crate::search::{Search, SearchState};

#[derive(Clone, PartialEq)]
enum Screen {
    Home,
    Contact,
    Sent { number: String, email: String },
}

#[component]
pub fn App(boot: EmbedBoot) -> impl IntoView {
    let locale = boot.locale;
    let s = strings(locale);
    let site = boot.config.site.clone();
    let context = RwSignal::new(PageContext::default());
    host::connect(boot.parent_origin.clone(), context);
    let screen = RwSignal::new(Screen::Home);
    // Lives here, not in the search screen, so that "Back" finds the query and results as left.
    let search = SearchState::new(site.clone(), locale);
    let framed = boot.mode == EmbedMode::Frame;
    let on_contact = Callback::new(move |()| screen.set(Screen::Contact));
    let on_sent = Callback::new(move |(number, email): (String, String)| screen.set(Screen::Sent { number, email }));

    let body = move || match screen.get() {
        Screen::Home => view! { <Search state=search on_contact=on_contact/> }.into_any(),
        Screen::Contact => {
            view! { <Contact site=site.clone() locale=locale context=context on_sent=on_sent/> }.into_any()
        }
        Screen::Sent { number, email } => view! {
            <section class="sent" role="status">
                <h2>{s.sent_title}</h2>
                <p class="number">{request_received(locale, &number, &email)}</p>
                <button class="secondary" type="button" on:click=move |_| screen.set(Screen::Contact)>
                    {s.new_request}
                </button>
            </section>
        }
        .into_any(),
    };

    view! {
        <div class=if framed { "panel" } else { "panel page" }>
            <header class="bar">
                <Show when=move || screen.get() != Screen::Home>
                    <button class="icon" type="button" aria-label=s.back on:click=move |_| screen.set(Screen::Home)>
                        "←"
                    </button>
                </Show>
                <h1>{boot.config.name.clone()}</h1>
                {framed.then(|| view! {
                    <button class="icon close" type="button" aria-label=s.close
                        on:click=|_| host::post(&FrameMessage::Close)>"×"</button>
                })}
            </header>
            <main class="body">{body}</main>
        </div>
    }
}
