//! Triage against phrasings collected for this project, ru and en, each with the labels a
//! support lead would give it. `triage.tsv` is the set the rules were tuned on;
//! `triage_holdout.tsv` was written afterwards and never used to change them. Prints the
//! accuracy of every label on both.

use tabdesk_core::config::TriageKeywords;
use tabdesk_core::triage::triage;

/// The accuracy every label must keep; the printout shows the actual figures.
const FLOOR: f64 = 0.8;
/// On phrasings the rules never saw, a lower floor.
const HOLDOUT_FLOOR: f64 = 0.6;

#[test]
fn triage_accuracy_on_the_tuning_set() {
    accuracy("tuning set", include_str!("data/triage.tsv"), 100, FLOOR);
}

#[test]
fn triage_accuracy_on_held_out_phrasings() {
    accuracy("held-out set", include_str!("data/triage_holdout.tsv"), 40, HOLDOUT_FLOOR);
}

fn accuracy(name: &str, data: &str, at_least: usize, floor: f64) {
    let rows: Vec<Vec<&str>> =
        data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(|l| l.split('\t').collect()).collect();
    assert!(rows.len() >= at_least, "at least {at_least} phrasings, got {}", rows.len());
    let names = ["language", "urgent", "sentiment", "intent", "needs_response", "priority"];
    let mut right = [0usize; 6];
    let mut misses = Vec::new();
    for row in &rows {
        assert_eq!(row.len(), 7, "{row:?}");
        let t = triage("", row[0], None, &TriageKeywords::default());
        let got = [
            serde_json::to_value(t.language.value).unwrap().as_str().unwrap_or("").to_owned(),
            if t.urgent.value { "1" } else { "0" }.to_owned(),
            serde_json::to_value(t.sentiment.value).unwrap().as_str().unwrap_or("").to_owned(),
            serde_json::to_value(t.intent.value).unwrap().as_str().unwrap_or("").to_owned(),
            if t.needs_response.value { "1" } else { "0" }.to_owned(),
            t.priority.value.as_str().to_owned(),
        ];
        for (i, value) in got.iter().enumerate() {
            if value == row[i + 1] {
                right[i] += 1;
            } else {
                misses.push(format!("{}: {} expected {}, got {value}", row[0], names[i], row[i + 1]));
            }
        }
    }
    let n = rows.len() as f64;
    println!("triage accuracy on the {name}, {} phrasings:", rows.len());
    for (name, r) in names.iter().zip(right) {
        println!("  {name:<15} {:.1}%", 100.0 * r as f64 / n);
    }
    for m in &misses {
        println!("  miss: {m}");
    }
    for (label, r) in names.iter().zip(right) {
        assert!(r as f64 / n >= floor, "{name}, {label}: {:.1}% is under {:.0}%", 100.0 * r as f64 / n, 100.0 * floor);
    }
}
