//! The time one triage takes, natively (the worker's intake runs it for every request):
//! `cargo run --release -p tabdesk-core --example triage_speed`.

use tabdesk_core::config::TriageKeywords;

fn main() {
    let site = TriageKeywords::default();
    let runs = 2000;
    let started = std::time::Instant::now();
    for i in 0..runs {
        let message = format!("Здравствуйте, с утра не работает интернет, роутер мигает красным. Помогите срочно {i}");
        std::hint::black_box(tabdesk_core::triage::triage("Не работает интернет", &message, None, &site));
    }
    println!("{:.1} µs per triage", started.elapsed().as_secs_f64() * 1e6 / f64::from(runs));
}
