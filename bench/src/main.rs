//! `cargo xtask bench search`: our knowledge-base engine and SQLite FTS5 (unicode61 and porter
//! tokenizers) on the same articles and queries. Relevance is P@1 and MRR@10 on BANKING77
//! (5-fold); speed is p50/p99 latency, build time, index size and memory at 1k and 10k articles.

mod alloc;
mod data;
mod engines;

use std::path::PathBuf;
use std::time::Instant;

use data::{latency_corpus, relevance_folds, Doc, Query};
use engines::{Engine, Fts5, Ours};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Relevance {
    p1: f64,
    mrr: f64,
}

fn relevance(engine: &dyn Engine, queries: &[Query]) -> Relevance {
    let (mut p1, mut mrr) = (0.0, 0.0);
    for q in queries {
        let ranked = engine.search(&q.text, 10);
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

struct Speed {
    p50_us: f64,
    p99_us: f64,
    build_ms: f64,
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
        engine.search(&q.text, 10);
    }
    let mut times: Vec<f64> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(engine.search(&q.text, 10));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Speed {
        p50_us: percentile(&times, 0.5),
        p99_us: percentile(&times, 0.99),
        build_ms,
        index_bytes: engine.size(),
        memory_bytes,
    }
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
    let data =
        std::env::args().nth(1).map(PathBuf::from).ok_or("usage: tabdesk-bench <banking77 dir> [--relevance]")?;
    let relevance_only = std::env::args().any(|a| a == "--relevance");
    println!("machine: {}", machine());
    println!();
    println!("Relevance on BANKING77 (5-fold: articles from one fold of each intent, the rest as queries)");
    println!();
    println!("| engine | P@1 | MRR@10 |");
    println!("|---|---|---|");
    let folds = relevance_folds(&data)?;
    let names = ["tabdesk", "fts5 unicode61", "fts5 porter"];
    let mut totals = [(0.0, 0.0); 3];
    for (docs, queries) in &folds {
        let engines: [Box<dyn Engine>; 3] = [
            Box::new(Ours::build(docs)),
            Box::new(Fts5::build(docs, "unicode61")?),
            Box::new(Fts5::build(docs, "porter unicode61")?),
        ];
        for (i, engine) in engines.iter().enumerate() {
            let r = relevance(engine.as_ref(), queries);
            totals[i].0 += r.p1;
            totals[i].1 += r.mrr;
        }
    }
    let k = folds.len() as f64;
    for (name, (p1, mrr)) in names.iter().zip(totals) {
        println!("| {name} | {:.3} | {:.3} |", p1 / k, mrr / k);
    }
    if relevance_only {
        return Ok(());
    }
    println!();
    println!("Speed (queries: 1,000 BANKING77 questions; native, one thread)");
    println!();
    println!("| articles | engine | p50 µs | p99 µs | build ms | index KB | memory KB |");
    println!("|---|---|---|---|---|---|---|");
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
                "| {n} | {name} | {:.1} | {:.1} | {:.0} | {} | {} |",
                s.p50_us,
                s.p99_us,
                s.build_ms,
                s.index_bytes / 1024,
                s.memory_bytes / 1024
            );
        }
        let ratio = rows[1].1.p50_us.min(rows[2].1.p50_us) / rows[0].1.p50_us;
        println!("| {n} | p50 speed-up vs best FTS5 | {ratio:.1}× | | | | |");
    }
    Ok(())
}
