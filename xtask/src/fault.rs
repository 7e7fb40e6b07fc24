//! A fault test of `cargo xtask test`: the worker is killed in the middle of a burst of
//! submissions and started again on the same state. Clients retry what got no answer (or a
//! transient one) with the same `Idempotency-Key`, as the widget's outbox does. Afterwards every
//! request exists exactly once, with the answer its client got, and none is half written (each
//! ticket has its `ticket.created` event).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tabdesk_core::problem::is_transient;

use crate::client::{agent, all_tickets, create_site};
use crate::local::Worker;
use crate::Result;

const REQUESTS: usize = 120;
const CLIENTS: usize = 8;
/// The worker is killed once this many requests were answered.
const KILL_AFTER: usize = 30;
const DEADLINE: Duration = Duration::from_secs(120);

/// Sends request `i` until it gets a final answer; returns the ticket id of its 201.
fn file(base: &str, site: &str, i: usize, started: Instant) -> Result<String> {
    let body = json!({
        "subject": format!("Fault {i}"), "message": "Sent while the worker restarts.", "email": "fault@example.com"
    });
    let agent = agent();
    loop {
        let reply = agent
            .post(format!("{base}/v1/sites/{site}/tickets"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", &format!("fault-{i}"))
            .header("CF-Connecting-IP", &format!("10.9.{}.{}", i / 256, i % 256))
            .send(body.to_string().as_bytes());
        let status = reply.as_ref().ok().map(|r| r.status().as_u16());
        if let (Ok(mut r), Some(201)) = (reply, status) {
            // A body cut off by the kill is no answer: the retry with the same key gets it again.
            if let Some(id) = r.body_mut().read_json::<Value>().ok().and_then(|v| v["id"].as_str().map(str::to_owned)) {
                return Ok(id);
            }
        }
        if !(is_transient(status) || status == Some(201)) || started.elapsed() > DEADLINE {
            return Err(format!("request {i}: final answer {status:?}").into());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Runs the burst against `worker`, kills it midway, starts it again with `restart`, and checks
/// the outcome; returns the restarted worker.
pub fn restart_mid_burst(
    worker: Worker,
    operator: &str,
    state: &Path,
    restart: impl FnOnce() -> Result<Worker>,
) -> Result<Worker> {
    let base = worker.url();
    let site = "fault";
    let token = create_site(&base, operator, site)?;
    let answered = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (base, answered) = (base.clone(), answered.clone());
            std::thread::spawn(move || {
                (c..REQUESTS)
                    .step_by(CLIENTS)
                    .map(|i| {
                        let id = file(&base, site, i, started);
                        answered.fetch_add(1, Ordering::SeqCst);
                        id.map(|id| (i, id)).map_err(|e| e.to_string())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    while answered.load(Ordering::SeqCst) < KILL_AFTER && started.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(worker);
    println!("    killed the worker after {} answers", answered.load(Ordering::SeqCst));
    let worker = restart()?;
    let mut ids = BTreeMap::new();
    for client in clients {
        for result in client.join().map_err(|_| "a client thread panicked")? {
            let (i, id) = result?;
            ids.insert(i, id);
        }
    }
    let stored = all_tickets(&worker.url(), site, &token)?;
    let stored_ids: Vec<&str> = stored.iter().filter_map(|t| t["id"].as_str()).collect();
    let unique: BTreeSet<&str> = stored_ids.iter().copied().collect();
    let answered_ids: BTreeSet<&str> = ids.values().map(String::as_str).collect();
    if ids.len() != REQUESTS || stored_ids.len() != REQUESTS || unique != answered_ids {
        return Err(format!(
            "{} requests answered, {} tickets stored ({} distinct): not exactly once",
            ids.len(),
            stored_ids.len(),
            unique.len()
        )
        .into());
    }
    let events = created_events(state, site)?;
    if events != REQUESTS {
        return Err(format!("{events} ticket.created events for {REQUESTS} tickets: something is half written").into());
    }
    println!("    {REQUESTS} requests, each stored once with its event, in {:.1}s", started.elapsed().as_secs_f64());
    Ok(worker)
}

/// `ticket.created` events of `site`'s tickets, in the sites' stores of the local state.
fn created_events(state: &Path, site: &str) -> Result<usize> {
    let mut total = 0;
    for dir in std::fs::read_dir(state.join("v3/do"))?.filter_map(|d| d.ok().map(|d| d.path())) {
        if !dir.to_string_lossy().ends_with("SiteStore") {
            continue;
        }
        for file in std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())) {
            if !(file.extension().is_some_and(|e| e == "sqlite") && file.file_stem().is_some_and(|s| s != "metadata")) {
                continue;
            }
            let db = rusqlite::Connection::open(&file)?;
            let n: i64 = db.query_row(
                "SELECT count(*) FROM events e JOIN tickets t ON t.id = e.ticket_id
                 WHERE e.kind = 'ticket.created' AND t.site_id = ?1",
                [site],
                |row| row.get(0),
            )?;
            total += n as usize;
        }
    }
    Ok(total)
}
