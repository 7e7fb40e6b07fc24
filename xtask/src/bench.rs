//! `cargo xtask bench search|intake|sites|stats`: the budgets of DESIGN.md that are measured,
//! not tested, and the figures the notes report.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tabdesk_core::wire::KbPublish;

use crate::build::build_all;
use crate::client::{agent, all_tickets, create_site};
use crate::kb::publish_kb;
use crate::local::{operator_token, prepare_state, test_configs, Worker, DEMO_SITE};
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
    })?;
    step("bench: the index in the worker", || index_in_worker(&data))
}

/// Searches per site once its index is in the isolate.
const WARM_SEARCHES: usize = 20;

/// What an index costs the worker: each size is published to a local worker, which is then
/// restarted; a site's first search in the new isolate reads its index from KV and loads it
/// (what a cold start, or the first search in an isolate after another one published, pays),
/// later ones find it cached. The site's configuration is read first, so only the index is in
/// the first search's time.
fn index_in_worker(data: &std::path::Path) -> Result {
    let (worker, operator, _) = bench_worker()?;
    let base = worker.url();
    let mut sites = Vec::new();
    for n in [1_000, 10_000] {
        let corpus = cargo()
            .args(["run", "--quiet", "--profile", "perf", "-p", "tabdesk-bench", "--"])
            .arg(data)
            .args(["--corpus", &n.to_string()])
            .output()?;
        let kb: KbPublish = serde_json::from_slice(&corpus.stdout)?;
        let site = format!("index-{n}");
        let token = create_site(&base, &operator, &site)?;
        let started = Instant::now();
        let published = publish_kb(&base, &site, &token, &kb)?;
        sites.push((n, site, published.index_bytes, started.elapsed().as_secs_f64() * 1000.0));
    }
    let (port, log) = (worker.port, worker.log.clone());
    drop(worker);
    let worker = Worker::start(&root().join(BENCH_STATE), port, log, &test_configs(None)?)?;
    let agent = agent();
    let timed = |url: &str| -> Result<f64> {
        let t = Instant::now();
        let status = agent.get(url).call()?.status();
        if status != 200 {
            return Err(format!("{url}: {status}").into());
        }
        Ok(t.elapsed().as_secs_f64() * 1000.0)
    };
    println!("\n| articles | index blob KB | publish ms | first search in a new isolate ms | later searches p50 ms |");
    println!("|---|---|---|---|---|");
    for (n, site, bytes, publish_ms) in sites {
        timed(&format!("{}/v1/sites/{site}/config", worker.url()))?;
        let search = format!("{}/v1/sites/{site}/kb/search?q=card%20payment&locale=en", worker.url());
        let first = timed(&search)?;
        let mut later: Vec<f64> = (0..WARM_SEARCHES).map(|_| timed(&search)).collect::<Result<_>>()?;
        later.sort_by(f64::total_cmp);
        println!("| {n} | {} | {publish_ms:.0} | {first:.1} | {:.1} |", bytes / 1024, quantile(&later, 0.5));
    }
    Ok(())
}

const REQUESTS: usize = 3_000;
const CLIENTS: usize = 32;

/// Where a benchmark's worker keeps its state.
const BENCH_STATE: &str = "target/bench-state";

/// A fresh local worker for a benchmark, the operator token and the demo site's admin token.
fn bench_worker() -> Result<(Worker, String, String)> {
    setup()?;
    build_all()?;
    let state = root().join(BENCH_STATE);
    if state.exists() {
        fs::remove_dir_all(&state)?;
    }
    fs::create_dir_all(&state)?;
    let operator = operator_token()?;
    let admin = prepare_state(&state)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let worker =
        step("start worker", || Worker::start(&state, port, Some(state.join("wrangler.log")), &test_configs(None)?))?;
    Ok((worker, operator, admin))
}

/// Files request `i` on `site`; returns its latency in ms and the ticket id of a 201. Each
/// request comes from its own client address: the rate limit is not what is measured.
fn file(agent: &ureq::Agent, base: &str, site: &str, i: usize) -> Sent {
    let body = json!({
        "subject": format!("Load {i}"), "message": "Measuring intake.", "email": "load@example.com", "fill_ms": 5000
    });
    let t = Instant::now();
    let reply = agent
        .post(format!("{base}/v1/sites/{site}/tickets"))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", &format!("load-{site}-{i}"))
        .header("CF-Connecting-IP", &format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256))
        .send(body.to_string().as_bytes());
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let id = reply
        .ok()
        .filter(|r| r.status() == 201)
        .and_then(|mut r| r.body_mut().read_json::<Value>().ok().and_then(|v| v["id"].as_str().map(str::to_owned)));
    (ms, id)
}

/// The `p`-quantile of sorted `values`.
fn quantile(values: &[f64], p: f64) -> f64 {
    values.get(((values.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN)
}

/// Whether `site` stores exactly the tickets `ids` (every 201, once, nothing else).
fn stored_once(base: &str, site: &str, token: &str, ids: &[String]) -> Result<bool> {
    let stored: Vec<String> =
        all_tickets(base, site, token)?.iter().filter_map(|t| t["id"].as_str().map(str::to_owned)).collect();
    let unique: BTreeSet<&String> = stored.iter().collect();
    let answered: BTreeSet<&String> = ids.iter().collect();
    Ok(unique.len() == stored.len() && unique == answered)
}

/// One request of a load: its latency in ms, and what it produced when it succeeded.
type Sent = (f64, Option<String>);

/// `count` requests `send(agent, base, i)` from [`CLIENTS`] clients at once: the sorted
/// latencies, what the successful ones produced, the number of failures, and the seconds taken.
fn load<F>(base: &str, count: usize, send: F) -> (Vec<f64>, Vec<String>, usize, f64)
where
    F: Fn(&ureq::Agent, &str, usize) -> Sent + Copy + Send + 'static,
{
    let base = Arc::new(base.to_owned());
    let started = Instant::now();
    let handles: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let base = base.clone();
            std::thread::spawn(move || {
                let agent = agent();
                (c..count).step_by(CLIENTS).map(|i| send(&agent, &base, i)).collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<Sent> = handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect();
    let took = started.elapsed().as_secs_f64();
    let mut latencies: Vec<f64> = results.iter().map(|r| r.0).collect();
    latencies.sort_by(f64::total_cmp);
    let errors = results.iter().filter(|r| r.1.is_none()).count();
    let ids: Vec<String> = results.into_iter().filter_map(|r| r.1).collect();
    (latencies, ids, errors, took)
}

/// The baseline with no storage at all: the worker's health check through `wrangler dev`.
fn health(agent: &ureq::Agent, base: &str, _: usize) -> Sent {
    let t = Instant::now();
    let ok = agent.get(format!("{base}/healthz")).call().is_ok_and(|r| r.status() == 200);
    (t.elapsed().as_secs_f64() * 1000.0, ok.then(String::new))
}

/// The baseline of intake's front half: a widget event takes the same path (site from the
/// isolate's cache, origin, rate limit, JSON) and one small write in the site's object, made
/// after the answer.
fn event(agent: &ureq::Agent, base: &str, i: usize) -> Sent {
    let body = json!({ "kind": "form_opened" });
    let t = Instant::now();
    let ok = agent
        .post(format!("{base}/v1/sites/{INTAKE_SITE}/events"))
        .header("Content-Type", "application/json")
        .header("CF-Connecting-IP", &format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256))
        .send(body.to_string().as_bytes())
        .is_ok_and(|r| r.status() == 202);
    (t.elapsed().as_secs_f64() * 1000.0, ok.then(String::new))
}

/// The site `cargo xtask bench intake` files its requests on.
const INTAKE_SITE: &str = "load";

/// `cargo xtask bench intake`: many clients filing requests at once against the local worker,
/// then a check that every 2xx was stored exactly once; before it, two baselines under the same
/// load (no storage at all, and intake's front half with one small write).
pub fn intake() -> Result {
    let (worker, operator, _) = bench_worker()?;
    let base = worker.url();
    let site = INTAKE_SITE;
    let token = create_site(&base, &operator, site)?;
    let row = |what: &str, (latencies, ok, errors, took): &(Vec<f64>, Vec<String>, usize, f64)| {
        format!(
            "| {what} | {REQUESTS} | {CLIENTS} | {} | {errors} | {:.0} | {:.1} | {:.1} |",
            ok.len(),
            REQUESTS as f64 / took,
            quantile(latencies, 0.5),
            quantile(latencies, 0.99),
        )
    };
    let bare = step("bench: baseline, GET /healthz", || Ok(load(&base, REQUESTS, health)))?;
    let events = step("bench: baseline, POST …/events", || Ok(load(&base, REQUESTS, event)))?;
    let tickets = step(&format!("bench: {REQUESTS} requests from {CLIENTS} clients"), || {
        Ok(load(&base, REQUESTS, |agent, base, i| file(agent, base, INTAKE_SITE, i)))
    })?;
    let once = step("bench: read back every ticket", || stored_once(&base, site, &token, &tickets.1))?;
    drop(worker);
    println!();
    println!("| what | requests | clients | 2xx | errors | req/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|---|---|---|");
    println!("{}", row("`GET /healthz` (no storage)", &bare));
    println!("{}", row(&format!("`POST /v1/sites/{site}/events` (front half, one write after the answer)"), &events));
    println!("{}", row(&format!("`POST /v1/sites/{site}/tickets` (intake)"), &tickets));
    println!("\nevery 201 stored exactly once: {once}");
    if !once {
        return Err("the stored tickets are not exactly the answered ones".into());
    }
    Ok(())
}

/// Sites of `cargo xtask bench sites`, requests per second of a quiet one, how much more the
/// noisy one sends, and how long each phase lasts.
const SITES: usize = 20;
const QUIET_RATE: f64 = 4.0;
const NOISY_FACTOR: usize = 10;
const PHASE: Duration = Duration::from_secs(15);

/// Sends requests to `site` at `rate` per second for [`PHASE`] from its own thread (a request
/// that takes longer than the gap delays the next); returns latencies and ticket ids.
fn paced(base: String, site: String, rate: f64, first: usize) -> std::thread::JoinHandle<Vec<(f64, Option<String>)>> {
    std::thread::spawn(move || {
        let agent = agent();
        let gap = Duration::from_secs_f64(1.0 / rate);
        let started = Instant::now();
        let mut out = Vec::new();
        let mut i = first;
        while started.elapsed() < PHASE {
            let due = started + gap * (i - first) as u32;
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            out.push(file(&agent, &base, &site, i));
            i += 1;
        }
        out
    })
}

/// One phase: every quiet site at [`QUIET_RATE`], and the noisy one at [`NOISY_FACTOR`] times
/// that when `noisy`. Returns the quiet sites' sorted latencies, the noisy one's, every site's
/// ticket ids, and the requests per second reached.
fn phase(base: &str, sites: &[String], noisy: bool, first: usize) -> (Vec<f64>, Vec<f64>, Vec<Vec<String>>, f64) {
    let started = Instant::now();
    let mut threads: Vec<(usize, std::thread::JoinHandle<_>)> = sites[1..]
        .iter()
        .enumerate()
        .map(|(n, s)| (n + 1, paced(base.to_owned(), s.clone(), QUIET_RATE, first)))
        .collect();
    if noisy {
        // The noisy site: several paced threads, so its rate does not wait on its own latency.
        for t in 0..NOISY_FACTOR {
            threads.push((0, paced(base.to_owned(), sites[0].clone(), QUIET_RATE, first + t * 100_000)));
        }
    }
    let (mut quiet, mut loud, mut ids) = (Vec::new(), Vec::new(), vec![Vec::new(); sites.len()]);
    let mut sent = 0;
    for (site, thread) in threads {
        for (ms, id) in thread.join().unwrap_or_default() {
            sent += 1;
            if site == 0 { &mut loud } else { &mut quiet }.push(ms);
            ids[site].extend(id);
        }
    }
    quiet.sort_by(f64::total_cmp);
    loud.sort_by(f64::total_cmp);
    (quiet, loud, ids, sent as f64 / started.elapsed().as_secs_f64())
}

/// `cargo xtask bench sites`: twenty sites filing requests at once, one of them at ten times
/// the others' rate; the quiet sites' latency with and without it, and every site's requests
/// stored exactly once in its own store.
pub fn sites() -> Result {
    let (worker, operator, _) = bench_worker()?;
    let base = worker.url();
    let sites: Vec<String> = (0..SITES).map(|n| format!("site-{n:02}")).collect();
    let tokens: Vec<String> = sites.iter().map(|s| create_site(&base, &operator, s)).collect::<Result<_>>()?;
    let rate = QUIET_RATE as usize;
    // One request per site first, not measured: each site's store is made (and the worker's
    // code warmed) before anything is timed, so the first phase does not pay for it.
    let agent = agent();
    let warmed: Vec<Vec<String>> =
        sites.iter().map(|s| file(&agent, &base, s, 9_000_000).1.into_iter().collect()).collect();
    let (alone, _, ids_alone, rps_alone) =
        step(&format!("bench: {} quiet sites at {rate} req/s each", SITES - 1), || Ok(phase(&base, &sites, false, 0)))?;
    let (quiet, loud, ids_together, rps_together) =
        step(&format!("bench: the same, and one site at {} req/s", rate * NOISY_FACTOR), || {
            Ok(phase(&base, &sites, true, 1_000_000))
        })?;
    let once = step("bench: read back every site's tickets", || {
        let mut all = true;
        for (n, site) in sites.iter().enumerate() {
            let ids: Vec<String> = ids_alone[n].iter().chain(&ids_together[n]).chain(&warmed[n]).cloned().collect();
            all &= stored_once(&base, site, &tokens[n], &ids)?;
        }
        Ok(all)
    })?;
    drop(worker);
    let answered: usize = ids_alone.iter().chain(&ids_together).map(Vec::len).sum();
    println!();
    println!("| phase | req/s | quiet p50 ms | quiet p99 ms | noisy p50 ms | noisy p99 ms |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| quiet sites alone | {rps_alone:.0} | {:.1} | {:.1} | – | – |",
        quantile(&alone, 0.5),
        quantile(&alone, 0.99)
    );
    println!(
        "| with a 10× site | {rps_together:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
        quantile(&quiet, 0.5),
        quantile(&quiet, 0.99),
        quantile(&loud, 0.5),
        quantile(&loud, 0.99)
    );
    let ratio = quantile(&quiet, 0.99) / quantile(&alone, 0.99);
    println!();
    println!("quiet p99 with the noisy site / alone: {ratio:.2} (budget 1.5); {answered} requests answered 201, each stored once in its own site's store: {once}");
    if !once {
        return Err("some site's stored tickets are not exactly its answered ones".into());
    }
    Ok(())
}

/// Tickets of `cargo xtask bench stats`, and how many statistics requests are timed.
const STATS_TICKETS: usize = 10_000;
const STATS_READS: usize = 20;

/// `cargo xtask bench stats`: `GET …/stats` of one site with 10,000 tickets (every fifth
/// answered, every tenth solved), all of them in the default range.
pub fn stats() -> Result {
    let (worker, operator, _) = bench_worker()?;
    let base = worker.url();
    let site = "stats";
    let token = create_site(&base, &operator, site)?;
    let ids = step(&format!("bench: file {STATS_TICKETS} tickets"), || {
        Ok(load(&base, STATS_TICKETS, move |agent, base, i| file(agent, base, site, i)).1)
    })?;
    step("bench: answer every fifth, solve every tenth", || {
        let agent = agent();
        let auth = format!("Bearer {token}");
        for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 5 == 0) {
            agent
                .post(format!("{base}/v1/admin/tickets/{id}/messages"))
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .send(json!({ "body": "Answered.", "visibility": "public" }).to_string().as_bytes())?;
            if i % 10 == 0 {
                agent
                    .patch(format!("{base}/v1/admin/tickets/{id}"))
                    .header("Authorization", &auth)
                    .header("Content-Type", "application/json")
                    .send(r#"{"status":"solved"}"#.as_bytes())?;
            }
        }
        Ok(())
    })?;
    let (latencies, tickets) = step(&format!("bench: {STATS_READS} statistics requests"), || {
        let agent = agent();
        let mut latencies = Vec::new();
        let mut tickets = 0;
        for _ in 0..STATS_READS {
            let t = Instant::now();
            let stats: Value = agent
                .get(format!("{base}/v1/admin/sites/{site}/stats"))
                .header("Authorization", &format!("Bearer {token}"))
                .call()?
                .body_mut()
                .read_json()?;
            latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            tickets = stats["tickets"].as_u64().unwrap_or(0);
        }
        latencies.sort_by(f64::total_cmp);
        Ok((latencies, tickets))
    })?;
    drop(worker);
    println!();
    println!("| tickets in range | requests | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    println!("| {tickets} | {STATS_READS} | {:.1} | {:.1} |", quantile(&latencies, 0.5), quantile(&latencies, 0.99));
    if tickets as usize != ids.len() {
        return Err(format!("the statistics count {tickets} tickets, {} were filed", ids.len()).into());
    }
    Ok(())
}

/// Tickets of `cargo xtask bench console`.
const CONSOLE_TICKETS: usize = 1_000;

/// `cargo xtask bench console`: the console's size, and how long it takes to show the first page
/// of a queue of 1,000 tickets (signed in, headless Chromium, median of 5).
pub fn console() -> Result {
    let (worker, operator, _) = bench_worker()?;
    let base = worker.url();
    let site = "console";
    let token = create_site(&base, &operator, site)?;
    step(&format!("bench: file {CONSOLE_TICKETS} tickets"), || {
        let filed = load(&base, CONSOLE_TICKETS, move |agent, base, i| file(agent, base, site, i)).1.len();
        if filed == CONSOLE_TICKETS {
            Ok(())
        } else {
            Err(format!("{filed} of {CONSOLE_TICKETS} tickets were filed").into())
        }
    })?;
    let (first, all) = crate::build::screens("console")?;
    step("bench: open the console on the queue (median of 5)", || {
        run(Command::new("node")
            .arg(root().join("bench/console.mjs"))
            .env("TABDESK_URL", &base)
            .env("TABDESK_TOKEN", &token)
            .env("CHROMIUM", crate::setup::CHROMIUM))
    })?;
    drop(worker);
    println!("console: first screen {first} bytes gzip (budget {}), all screens {all}", crate::build::CONSOLE_BUDGET);
    Ok(())
}

/// `cargo xtask bench widget`: what the widget costs a host page before intent (requests, bytes,
/// long tasks, main-thread time, storage), then open → interactive and opening the form, median
/// of 9 in headless Chromium (`bench/widget.mjs`), on the demo site with its knowledge base.
pub fn widget() -> Result {
    let (worker, _, admin) = bench_worker()?;
    let base = worker.url();
    step("publish the demo knowledge base", || crate::kb::publish(&base, DEMO_SITE, &admin))?;
    step("bench: the widget on a host page (DevTools protocol)", || {
        run(Command::new("node")
            .arg(root().join("bench/widget.mjs"))
            .env("TABDESK_URL", &base)
            .env("CHROMIUM", crate::setup::CHROMIUM))
    })?;
    drop(worker);
    Ok(())
}
