//! What the customer sees once their request is stored: its number, where the answer will come,
//! and the way to write another. Only a visit that wrote a request sees it, so it is in the
//! form's module, not on the first screen.

use leptos::prelude::*;
use tabdesk_core::i18n::{form_strings, request_received};
use tabdesk_ui::cell::Call;

use crate::outbox::Delivered;
use crate::visit::visit;

#[component]
pub fn Sent(delivered: Delivered, on_new: Call<()>) -> impl IntoView {
    let locale = visit().locale;
    let s = form_strings(locale);
    view! {
        <section class="sent" role="status">
            <h2>{s.sent_title}</h2>
            <p class="number">{request_received(locale, &delivered.number, &delivered.email)}</p>
            <button class="secondary" type="button" on:click=move |_| on_new.run(())>{s.new_request}</button>
        </section>
    }
}
