//! Charts drawn as SVG from Rust (no JavaScript chart library), each with its numbers in text
//! next to it: a column per day, and horizontal bars for shares.

use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 160.0;

/// Columns of `values` (label, count) in order, such as tickets per day.
pub fn columns(label: &'static str, values: Vec<(String, u64)>) -> impl IntoView {
    let top = values.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let step = WIDTH / values.len().max(1) as f64;
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, (name, n))| {
            let h = (*n as f64 / top * (HEIGHT - 4.0)).max(if *n > 0 { 2.0 } else { 0.0 });
            view! {
                <rect class="bar" x=format!("{:.1}", i as f64 * step + 1.0) y=format!("{:.1}", HEIGHT - h)
                    width=format!("{:.1}", (step - 2.0).max(1.0)) height=format!("{h:.1}")>
                    <title>{format!("{name}: {n}")}</title>
                </rect>
            }
        })
        .collect_view();
    let first = values.first().map(|(d, _)| d.clone()).unwrap_or_default();
    let last = values.last().map(|(d, _)| d.clone()).unwrap_or_default();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label preserveAspectRatio="none">
                {bars}
            </svg>
            <figcaption class="axis"><span>{first}</span><span>{last}</span></figcaption>
        </figure>
    }
}

/// Horizontal bars of `values` (label, count), largest first, each with its number.
pub fn bars(label: &'static str, mut values: Vec<(String, u64)>) -> impl IntoView {
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top = values.first().map_or(1, |(_, n)| (*n).max(1)) as f64;
    let rows = values
        .into_iter()
        .map(|(name, n)| {
            let w = n as f64 / top * 100.0;
            view! {
                <li>
                    <span class="bar-label">{name}</span>
                    <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                        <rect class="bar" x="0" y="0" width=format!("{w:.1}") height="10"/>
                    </svg>
                    <span class="bar-value">{n}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="bars" aria-label=label>{rows}</ul> }
}
