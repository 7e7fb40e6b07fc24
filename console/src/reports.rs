//! Reports: the site's statistics over a range of days (`GET …/stats`) — volume per day,
//! response times, breaches, backlog, leads, what customers ask about and what the knowledge
//! base deflects — as SVG charts with their numbers.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::i18n::console::{console_strings, duration, percent};
use tabdesk_core::sla::format_time;
use tabdesk_core::wire::Stats;
use tabdesk_ui::cell::Cell;

use crate::api::{self, Failure};
use crate::charts::{bars, columns};
use crate::clock::now_ms;
use crate::session::Session;

const DAY_MS: i64 = 86_400_000;

fn day(ms: i64) -> String {
    format_time(ms)[..10].to_owned()
}

fn tile(label: &'static str, value: String) -> impl IntoView {
    view! { <div class="tile"><dt>{label}</dt><dd>{value}</dd></div> }
}

#[component]
pub fn Reports() -> impl IntoView {
    let session = expect_context::<Session>();
    let locale = session.locale;
    let s = console_strings(locale);
    let today = now_ms();
    let from = Cell::new(day(today - 29 * DAY_MS));
    let to = Cell::new(day(today));
    let stats = Cell::new(None::<Result<Stats, Failure>>);
    let load = move || {
        let (f, t) = (from.get_untracked(), to.get_untracked());
        spawn_local(async move {
            let answer = api::stats(&session.token(), &session.site(), &f, &t).await;
            if answer == Err(Failure::SignedOut) {
                session.signed_out.set(true);
            }
            stats.set(Some(answer));
        });
    };
    load();
    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        load();
    };
    let secs = move |v: Option<u64>| v.map_or_else(|| "—".to_owned(), |v| duration(locale, v));
    let figures = move || match stats.get() {
        None => view! { <p class="status" role="status">{s.loading}</p> }.into_any(),
        Some(Err(Failure::Invalid(problems))) => {
            let text = problems.into_iter().map(|p| p.message).collect::<Vec<_>>().join(" ");
            view! { <p class="notice" role="alert">{text}</p> }.into_any()
        }
        Some(Err(_)) => view! { <p class="notice" role="alert">{s.load_failed}</p> }.into_any(),
        Some(Ok(st)) => {
            let per_day: Vec<(String, u64)> = st.per_day.iter().map(|d| (d.day.clone(), d.tickets)).collect();
            let share = |m: &std::collections::BTreeMap<String, u64>| -> Vec<(String, u64)> {
                m.iter().map(|(k, v)| (k.clone(), *v)).collect()
            };
            let d = &st.deflection;
            let failed = st.deflection.searches_without_results_top.clone();
            view! {
                <dl class="tiles">
                    {tile(s.tickets_total, st.tickets.to_string())}
                    {tile(s.answered, st.answered.to_string())}
                    {tile(s.first_response_median, secs(st.first_response_median_s))}
                    {tile(s.first_response_p90, secs(st.first_response_p90_s))}
                    {tile(s.resolution_median, secs(st.resolution_median_s))}
                    {tile(s.breach_rate, st.sla_breach_rate.map_or_else(|| "—".to_owned(), percent))}
                    {tile(s.backlog, st.backlog.to_string())}
                    {tile(s.leads, st.leads.to_string())}
                </dl>
                <section class="panel">
                    <h2>{s.volume_per_day}</h2>
                    {columns(s.volume_per_day, per_day)}
                </section>
                <div class="report-grid">
                    <section class="panel"><h2>{s.category}</h2>{bars(s.category, share(&st.by_category))}</section>
                    <section class="panel"><h2>{s.topic}</h2>{bars(s.topic, share(&st.by_topic))}</section>
                    <section class="panel"><h2>{s.channel}</h2>{bars(s.channel, share(&st.by_channel))}</section>
                    <section class="panel"><h2>{s.language}</h2>{bars(s.language, share(&st.by_language))}</section>
                    <section class="panel"><h2>{s.priority}</h2>{bars(s.priority, share(&st.by_priority))}</section>
                    <section class="panel">
                        <h2>{s.deflection}</h2>
                        <dl class="facts">
                            <dt>{s.searches_made}</dt><dd>{d.searches}</dd>
                            <dt>{s.searches_without_results}</dt><dd>{d.searches_without_results}</dd>
                            <dt>{s.article_views}</dt><dd>{d.article_views}</dd>
                            <dt>{s.helpful_votes}</dt><dd>{format!("{} / {}", d.helpful, d.unhelpful)}</dd>
                            <dt>{s.forms_opened}</dt><dd>{d.forms_opened}</dd>
                            <dt>{s.tickets_after_search}</dt><dd>{d.tickets_after_search}</dd>
                        </dl>
                    </section>
                    <section class="panel">
                        <h2>{s.top_failed_searches}</h2>
                        {bars(s.top_failed_searches, failed.into_iter().map(|q| (q.query, q.count)).collect())}
                    </section>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <main class="reports">
            <div class="queue-bar">
                <h1>{s.reports}</h1>
                <form class="range" on:submit=apply>
                    <label for="from">{s.range_from}</label>
                    <input id="from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                    <label for="to">{s.range_to}</label>
                    <input id="to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                    <button class="primary" type="submit">{s.apply}</button>
                </form>
            </div>
            {figures}
        </main>
    }
}
