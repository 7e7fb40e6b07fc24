//! `cargo xtask bench search`: our knowledge-base engine and SQLite FTS5 (unicode61 and porter
//! tokenizers) on the same articles and queries. Relevance is P@1 and MRR@10 on BANKING77's train
//! split (`data`: articles from 5, 10 and 25 phrasings per intent, as body text or as alternate
//! questions; tuning and untouched queries reported apart); speed is p50/p99 latency, build
//! and load time, index size and memory at 1k and 10k articles. Queries go in as the widget sends
//! them while the customer types: the last word is a prefix.
//!
//! `--corpus N` prints the speed corpus of N articles as a publish body instead.
//!
//! Flags, for tuning: `--relevance` or `--speed` runs only that part; `--tuning` leaves out the
//! untouched queries, so that tuning never looks at them; `--ours` leaves out FTS5 (whose
//! relevance does not change while ours is tuned).

mod alloc;
mod data;
mod engines;

use std::path::PathBuf;
use std::time::Instant;

use data::{latency_corpus, Doc, Phrasings, Query};
use engines::{Engine, Fts5, Ours};
use tabdesk_core::domain::limits::{MAX_ARTICLE_TITLE_CHARS, MAX_QUESTION_CHARS};
use tabdesk_core::domain::Locale;
use tabdesk_core::wire::{KbArticleIn, KbPublish};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Phrasings per article, and rotations (different phrasings chosen) per size.
const PHRASINGS: [usize; 3] = [5, 10, 25];
const ROTATIONS: usize = 3;

#[derive(Clone, Copy, Default)]
struct Relevance {
    p1: f64,
    mrr: f64,
}

impl std::ops::AddAssign for Relevance {
    fn add_assign(&mut self, other: Relevance) {
        self.p1 += other.p1;
        self.mrr += other.mrr;
    }
}

/// A query as it is sent while being typed: without the closing punctuation, so its last word
/// is still a prefix.
pub fn as_typed(query: &str) -> &str {
    query.trim_end_matches(|c: char| !c.is_alphanumeric())
}

fn relevance(engine: &dyn Engine, queries: &[Query]) -> Relevance {
    let (mut p1, mut mrr) = (0.0, 0.0);
    for q in queries {
        let ranked = engine.search(as_typed(&q.text), 10);
        if ranked.first() == Some(&q.label) {
            p1 += 1.0;
        }
        if let Some(rank) = ranked.iter().position(|l| *l == q.label) {
            mrr += 1.0 / (rank + 1) as f64;
        }
    }
    let n = queries.len().max(1) as f64;
    Relevance { p1: p1 / n, mrr: mrr / n }
}

const ENGINES: [&str; 3] = ["tabdesk", "fts5 unicode61", "fts5 porter"];

/// Mean relevance over the rotations of one table row: per engine, on the tuning and the
/// untouched queries.
fn row(phrasings: &Phrasings, k: usize, as_questions: bool) -> Result<[[Relevance; 2]; 3]> {
    let mut sums = [[Relevance::default(); 2]; 3];
    for r in 0..ROTATIONS {
        let round = phrasings.round(k, r, as_questions);
        let engines: [Box<dyn Engine>; 3] = [
            Box::new(Ours::build(&round.docs)),
            Box::new(Fts5::build(&round.docs, "unicode61")?),
            Box::new(Fts5::build(&round.docs, "porter unicode61")?),
        ];
        for (e, engine) in engines.iter().enumerate() {
            if e > 0 && flag("--ours") {
                continue;
            }
            sums[e][0] += relevance(engine.as_ref(), &round.tuning);
            sums[e][1] += relevance(engine.as_ref(), &round.untouched);
        }
    }
    let n = ROTATIONS as f64;
    Ok(sums.map(|sets| sets.map(|s| Relevance { p1: s.p1 / n, mrr: s.mrr / n })))
}

fn relevance_table(phrasings: &Phrasings, tuning_only: bool) -> Result {
    println!("Relevance on BANKING77's train split (P@1 / MRR@10, mean of {ROTATIONS} rotations)");
    println!();
    println!("| phrasings | as | queries | {} |", ENGINES.join(" | "));
    println!("|---|---|---|---|---|---|");
    for k in PHRASINGS {
        for as_questions in [false, true] {
            let scores = row(phrasings, k, as_questions)?;
            let sets: &[(usize, &str)] =
                if tuning_only { &[(0, "tuning")] } else { &[(0, "tuning"), (1, "untouched")] };
            for &(set, name) in sets {
                let cells: Vec<String> =
                    scores.iter().map(|s| format!("{:.3} / {:.3}", s[set].p1, s[set].mrr)).collect();
                let kind = if as_questions { "questions" } else { "body" };
                println!("| {k} | {kind} | {name} | {} |", cells.join(" | "));
            }
        }
    }
    Ok(())
}

struct Speed {
    p50_us: f64,
    p99_us: f64,
    build_ms: f64,
    /// Loading the stored index (ours: what a worker's isolate pays on its first search).
    load_ms: Option<f64>,
    index_bytes: usize,
    memory_bytes: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

fn speed<E: Engine>(build: impl Fn(&[Doc]) -> E, docs: &[Doc], queries: &[Query]) -> Speed {
    let before = alloc::live();
    let started = Instant::now();
    let engine = build(docs);
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;
    let memory_bytes = alloc::live().saturating_sub(before).max(engine.memory());
    for q in queries.iter().take(200) {
        engine.search(as_typed(&q.text), 10);
    }
    let mut times: Vec<f64> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(engine.search(as_typed(&q.text), 10));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Speed {
        p50_us: percentile(&times, 0.5),
        p99_us: percentile(&times, 0.99),
        build_ms,
        load_ms: engine.load_ms(),
        index_bytes: engine.size(),
        memory_bytes,
    }
}

fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

/// The value after flag `name`, if given.
fn value_of(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

/// The latency corpus of `n` articles as a publish body (JSON), for measuring the index in the
/// worker (`cargo xtask bench search` publishes it).
fn corpus_json(data: &std::path::Path, n: usize) -> Result<String> {
    let (docs, _) = latency_corpus(data, n)?;
    // A few BANKING77 rows are longer than a title or a question may be.
    let cut = |text: String, chars: usize| text.chars().take(chars).collect::<String>();
    let articles = docs
        .into_iter()
        .map(|d| KbArticleIn {
            id: format!("a{}", d.label),
            locale: Some(Locale::En),
            title: cut(d.title, MAX_ARTICLE_TITLE_CHARS),
            body_markdown: d.body,
            questions: d.questions.into_iter().map(|q| cut(q, MAX_QUESTION_CHARS)).collect(),
            ..KbArticleIn::default()
        })
        .collect();
    Ok(serde_json::to_string(&KbPublish { articles, allow_empty: false })?)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{cpu}, {cores} cores")
}

fn main() -> Result {
    let usage = "usage: tabdesk-bench <banking77 dir> [--relevance | --speed] [--tuning] [--ours] | --corpus N";
    let data = std::env::args().nth(1).map(PathBuf::from).ok_or(usage)?;
    if let Some(n) = value_of("--corpus") {
        println!("{}", corpus_json(&data, n.parse()?)?);
        return Ok(());
    }
    println!("machine: {}", machine());
    println!();
    if !flag("--speed") {
        relevance_table(&Phrasings::load(&data)?, flag("--tuning"))?;
        println!();
    }
    if flag("--relevance") {
        return Ok(());
    }
    println!("Speed (queries: 1,000 BANKING77 questions; native, one thread)");
    println!();
    println!("| articles | engine | p50 µs | p99 µs | build ms | load ms | index KB | memory KB |");
    println!("|---|---|---|---|---|---|---|---|");
    for n in [1_000, 10_000] {
        let (docs, queries) = latency_corpus(&data, n)?;
        let rows = [
            ("tabdesk", speed(Ours::build, &docs, &queries)),
            (
                "fts5 unicode61",
                speed(|d| Fts5::build(d, "unicode61").unwrap_or_else(|e| panic!("fts5: {e}")), &docs, &queries),
            ),
            (
                "fts5 porter",
                speed(|d| Fts5::build(d, "porter unicode61").unwrap_or_else(|e| panic!("fts5: {e}")), &docs, &queries),
            ),
        ];
        for (name, s) in &rows {
            println!(
                "| {n} | {name} | {:.1} | {:.1} | {:.0} | {} | {} | {} |",
                s.p50_us,
                s.p99_us,
                s.build_ms,
                s.load_ms.map_or("–".into(), |ms| format!("{ms:.1}")),
                s.index_bytes / 1024,
                s.memory_bytes / 1024
            );
        }
        let ratio = rows[1].1.p50_us.min(rows[2].1.p50_us) / rows[0].1.p50_us;
        println!("| {n} | p50 speed-up vs best FTS5 | {ratio:.1}× | | | | | |");
    }
    Ok(())
}
