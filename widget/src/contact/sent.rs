//! What the customer sees once their request is stored: its number, where the answer will come,
//! and the way to write another. Only a visit that wrote a request sees it, so it is in the
//! form's module, not on the first screen.

use tabdesk_core::i18n::{form_strings, request_received};
use tabdesk_ui::cell::Call;
use tabdesk_ui::{el, Fresh};

use crate::outbox::Delivered;
use crate::visit::visit;

pub fn request_sent(delivered: Delivered, on_new: Call<()>) -> Fresh {
    let locale = visit().locale;
    let s = form_strings(locale);
    Fresh::from(
        el("section")
            .class("sent")
            .attr("role", "status")
            .child(el("h2").text(s.sent_title))
            .child(el("p").class("number").text(&request_received(locale, &delivered.number, &delivered.email)))
            .child(
                el("button")
                    .class("secondary")
                    .attr("type", "button")
                    .on("click", move |_| on_new.run(()))
                    .text(s.new_request),
            ),
    )
}
