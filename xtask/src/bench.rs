//! `cargo xtask bench search|intake`: the budgets of DESIGN.md that are measured, not tested.

use std::collections::BTreeSet;
use std::fs;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

use crate::build::build_all;
use crate::client::{agent, all_tickets, create_site};
use crate::local::{operator_token, prepare_state, test_configs, Worker};
use crate::run::{cargo, run, step};
use crate::setup::setup;
use crate::{root, Result};

/// `cargo xtask bench search`: the benchmark crate, optimised for speed, on BANKING77.
pub fn search() -> Result {
    let data = root().join("../shared/data/banking77");
    if !data.join("train.csv").exists() {
        return Err(format!("{} is missing (BANKING77, see shared/data)", data.display()).into());
    }
    step("bench: search engine vs SQLite FTS5", || {
        run(cargo().args(["run", "--quiet", "--profile", "perf", "-p", "tabdesk-bench", "--"]).arg(&data))
    })
}

const REQUESTS: usize = 3_000;
const CLIENTS: usize = 32;

/// `cargo xtask bench intake`: many clients filing requests at once against the local worker,
/// then a check that every 2xx was stored exactly once.
pub fn intake() -> Result {
    setup()?;
    build_all()?;
    let state = root().join("target/bench-state");
    if state.exists() {
        fs::remove_dir_all(&state)?;
    }
    fs::create_dir_all(&state)?;
    let operator = operator_token()?;
    prepare_state(&state)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let worker =
        step("start worker", || Worker::start(&state, port, Some(state.join("wrangler.log")), &test_configs()?))?;
    let base = worker.url();
    let site = "load";
    let token = create_site(&base, &operator, site)?;

    let (latencies, ids, errors, took) = step(&format!("bench: {REQUESTS} requests from {CLIENTS} clients"), || {
        let base = Arc::new(base.clone());
        let started = Instant::now();
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let base = base.clone();
                std::thread::spawn(move || {
                    let agent = agent();
                    let mut out = Vec::new();
                    for i in (c..REQUESTS).step_by(CLIENTS) {
                        let body = json!({
                            "subject": format!("Load {i}"), "message": "Measuring intake.", "email": "load@example.com",
                            "fill_ms": 5000
                        });
                        let t = Instant::now();
                        // A client address per request: the rate limit is not what is measured.
                        let reply = agent
                            .post(format!("{base}/v1/sites/{site}/tickets"))
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", &format!("load-{i}"))
                            .header("CF-Connecting-IP", &format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256))
                            .send(body.to_string().as_bytes());
                        let ms = t.elapsed().as_secs_f64() * 1000.0;
                        let id = reply.ok().filter(|r| r.status() == 201).and_then(|mut r| {
                            r.body_mut().read_json::<Value>().ok().and_then(|v| v["id"].as_str().map(str::to_owned))
                        });
                        out.push((ms, id));
                    }
                    out
                })
            })
            .collect();
        let results: Vec<(f64, Option<String>)> =
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect();
        let took = started.elapsed().as_secs_f64();
        let mut latencies: Vec<f64> = results.iter().map(|r| r.0).collect();
        latencies.sort_by(f64::total_cmp);
        let errors = results.iter().filter(|r| r.1.is_none()).count();
        let ids: Vec<String> = results.into_iter().filter_map(|r| r.1).collect();
        Ok((latencies, ids, errors, took))
    })?;

    let stored: Vec<String> = step("bench: read back every ticket", || all_tickets(&base, site, &token))?
        .iter()
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect();
    drop(worker);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let unique: BTreeSet<&String> = stored.iter().collect();
    let answered: BTreeSet<&String> = ids.iter().collect();
    println!();
    println!("| requests | clients | 201 | errors | req/s | p50 ms | p99 ms | stored | stored once |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {REQUESTS} | {CLIENTS} | {} | {errors} | {:.0} | {:.1} | {:.1} | {} | {} |",
        ids.len(),
        REQUESTS as f64 / took,
        pct(0.5),
        pct(0.99),
        stored.len(),
        unique.len() == stored.len() && unique == answered
    );
    if unique != answered || unique.len() != stored.len() {
        return Err("the stored tickets are not exactly the answered ones".into());
    }
    Ok(())
}
