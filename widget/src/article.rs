//! An article read inline, with "Was this helpful?".

use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::i18n::strings;
use tabdesk_core::wire::KbArticle;
use tabdesk_ui::cell::{Call, Cell, Kept};
use tabdesk_ui::{fresh, shown};

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

#[component]
pub fn ArticleView(
    id: String,
    /// The search whose results the article was opened from, if it was.
    query: Option<String>,
    on_contact: Call<()>,
) -> impl IntoView {
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
    let body = move || match loaded.get() {
        Loaded::Loading => fresh(view! { <p class="status" aria-live="polite">{s.loading}</p> }),
        Loaded::Failed => fresh(view! { <p class="notice" role="alert">{s.article_failed}</p> }),
        // The HTML was sanitized when the article was published (tabdesk_core::kb::markdown):
        // the only server HTML the widget ever renders.
        Loaded::Ready(a) => fresh(view! {
            <article class="article" lang=a.locale.tag()>
                <h2 class="title">{a.title}</h2>
                <div class="article-body" inner_html=a.html></div>
            </article>
        }),
    };
    let feedback = move || match vote.get() {
        Vote::None => fresh(view! {
            <div class="helpful" role="group" aria-label=s.helpful>
                <span>{s.helpful}</span>
                <button class="secondary" type="button" on:click=move |_| answer(true)>{s.yes}</button>
                <button class="secondary" type="button" on:click=move |_| answer(false)>{s.no}</button>
            </div>
        }),
        Vote::Yes => fresh(view! { <p class="helpful" role="status">{s.thanks_feedback}</p> }),
        Vote::No => fresh(view! {
            <div class="helpful" role="status">
                <p>{s.thanks_feedback}</p>
                <button class="primary" type="button" on:click=move |_| on_contact.run(())>{s.still_need_help}</button>
            </div>
        }),
    };
    view! {
        <section class="article-view">
            {body}
            {shown(move || loaded.with(|l| matches!(l, Loaded::Ready(_))), move || feedback)}
        </section>
    }
}
