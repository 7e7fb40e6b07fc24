//! The console's frame: sign-in until a token works, then a header (site, agent, sign out) and
//! the screen the address names (see `route`).

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::i18n::console::console_strings;
use tabdesk_core::wire::{Me, Role};
use tabdesk_ui::cell::{effect, Call, Cell, Kept};

use crate::api::{self, Failure};
use crate::on_demand;
use crate::queue::Queue;
use crate::route::{current_hash, parse_route, Route};
use crate::session::{browser_locale, forget, saved_token, Session};
use crate::signin::{sign_in_problem, SignIn};

#[derive(Clone)]
enum State {
    Checking,
    SignedOut(Option<&'static str>),
    SignedIn(String, Me),
}

#[component]
pub fn App() -> impl IntoView {
    let locale = browser_locale();
    let s = console_strings(locale);
    let state = Cell::new(match saved_token() {
        Some(_) => State::Checking,
        None => State::SignedOut(None),
    });
    if let Some(token) = saved_token() {
        spawn_local(async move {
            state.set(match api::me(&token).await {
                Ok(me) => State::SignedIn(token, me),
                Err(failure) => {
                    if failure == Failure::SignedOut {
                        forget();
                    }
                    State::SignedOut(Some(sign_in_problem(locale, &failure)))
                }
            });
        });
    }
    let on_signed_in = Call::new(move |(token, me)| state.set(State::SignedIn(token, me)));
    move || match state.get() {
        State::Checking => view! { <p class="loading" role="status">{s.loading}</p> }.into_any(),
        State::SignedOut(problem) => view! { <SignIn locale on_signed_in problem/> }.into_any(),
        State::SignedIn(token, me) => {
            let session = Session { token: Kept::new(token), me: Kept::new(me), locale, signed_out: Cell::new(false) };
            effect(move || {
                if session.signed_out.get() {
                    forget();
                    state.set(State::SignedOut(Some(s.token_unknown)));
                }
            });
            view! { <Console session sign_out=Call::new(move |()| { forget(); state.set(State::SignedOut(None)); })/> }
                .into_any()
        }
    }
}

#[component]
fn Console(session: Session, sign_out: Call<()>) -> impl IntoView {
    provide_context(session);
    let s = console_strings(session.locale);
    let route = Cell::new(parse_route(&current_hash()));
    let listener = window_event_listener(ev::hashchange, move |_| route.set(parse_route(&current_hash())));
    on_cleanup(move || listener.remove());
    let admin = session.me.with_value(|m| m.role == Role::Admin);
    let (site_name, who) = session.me.with_value(|m| {
        let role = if m.role == Role::Admin { s.role_admin } else { s.role_agent };
        let who = match &m.name {
            Some(name) => format!("{name} · {role}"),
            None => role.to_owned(),
        };
        (m.site_name.clone(), who)
    });
    view! {
        <header class="top">
            <a class="brand" href="#/queue/unassigned">{s.title}</a>
            <span class="site">{site_name}</span>
            <nav class="sections" aria-label=s.sections>
                <a href="#/queue/unassigned" aria-current=move || matches!(route.get(), Route::Queue(_)).then_some("page")>{s.queue}</a>
                <a href="#/reports" aria-current=move || (route.get() == Route::Reports).then_some("page")
                    on:pointerenter=move |_| on_demand::prefetch_reports() on:focus=move |_| on_demand::prefetch_reports()>{s.reports}</a>
                {admin.then(|| view! {
                    <a href="#/settings" aria-current=move || (route.get() == Route::Settings).then_some("page")
                        on:pointerenter=move |_| on_demand::prefetch_settings() on:focus=move |_| on_demand::prefetch_settings()>{s.settings}</a>
                })}
            </nav>
            <span class="who">{who}</span>
            <button class="link" type="button" on:click=move |_| sign_out.run(())>{s.sign_out}</button>
        </header>
        {move || match route.get() {
            Route::Queue(view) => view! { <Queue view/> }.into_any(),
            Route::Ticket(id) => on_demand::ticket(s, id).into_any(),
            Route::Reports => on_demand::reports(s).into_any(),
            Route::Settings => on_demand::settings(s).into_any(),
        }}
    }
}
