//! An article read inline, with "Was this helpful?".

use leptos::task::spawn_local;
use tabdesk_core::i18n::strings;
use tabdesk_core::wire::KbArticle;
use tabdesk_ui::cell::{Call, Cell, Kept};
use tabdesk_ui::{button, el, live, shown, Fresh};

use crate::api;
use crate::visit::{visit, Visit};

#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Ready(KbArticle),
    Failed,
}

#[derive(Clone, Copy, PartialEq)]
enum Vote {
    None,
    Yes,
    No,
}

/// Article `id`, opened from the results of search `query` if it was.
pub fn article_view(id: String, query: Option<String>, on_contact: Call<()>) -> Fresh {
    let Visit { site, locale, .. } = visit();
    let s = strings(locale);
    let loaded = Cell::new(Loaded::Loading);
    let vote = Cell::new(Vote::None);
    let id = Kept::new(id);
    let query = Kept::new(query);
    spawn_local(async move {
        let article = api::article(&site.get_value(), &id.get_value(), locale.tag()).await;
        loaded.set(article.map_or(Loaded::Failed, Loaded::Ready));
    });
    let answer = move |helpful: bool| {
        vote.set(if helpful { Vote::Yes } else { Vote::No });
        spawn_local(async move {
            api::feedback(&site.get_value(), &id.get_value(), helpful, query.get_value()).await;
        });
    };
    let body = move || -> Fresh {
        match loaded.get() {
            Loaded::Loading => el("p").class("status").attr("aria-live", "polite").text(s.loading),
            Loaded::Failed => el("p").class("notice").attr("role", "alert").text(s.article_failed),
            // The HTML was sanitized when the article was published (tabdesk_core::kb::markdown):
            // the only server HTML the widget ever renders.
            Loaded::Ready(a) => el("article")
                .class("article")
                .attr("lang", a.locale.tag())
                .child(el("h2").class("title").text(&a.title))
                .child(el("div").class("article-body").html(&a.html)),
        }
        .into()
    };
    let feedback = move || -> Fresh {
        match vote.get() {
            Vote::None => el("div")
                .class("helpful")
                .attr("role", "group")
                .attr("aria-label", s.helpful)
                .child(el("span").text(s.helpful))
                .child(button("secondary", s.yes, move || answer(true)))
                .child(button("secondary", s.no, move || answer(false))),
            Vote::Yes => el("p").class("helpful").attr("role", "status").text(s.thanks_feedback),
            Vote::No => el("div")
                .class("helpful")
                .attr("role", "status")
                .child(el("p").text(s.thanks_feedback))
                .child(button("primary", s.still_need_help, move || on_contact.run(()))),
        }
        .into()
    };
    Fresh::from(
        el("section")
            .class("article-view")
            .part(body)
            .part(shown(move || loaded.with(|l| matches!(l, Loaded::Ready(_))), move || live(feedback))),
    )
}
