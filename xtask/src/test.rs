//! `cargo xtask test`: static checks, unit tests, the builds, then the API and browser suites
//! against the real worker on local workerd with fresh local state. Everything started here is
//! stopped on the way out, failures included (the worker is stopped when dropped).

use std::fs;
use std::net::TcpListener;
use std::process::Command;

use crate::build::{build_all, gzip_size, site_dir, LOADER_BUDGET};
use crate::local::{operator_token, prepare_state, test_configs, Worker, DEMO_SITE};
use crate::run::{cargo, run, step};
use crate::setup::{setup, CHROMIUM, WASM_TARGET};
use crate::{root, Result};

/// The site schemathesis may do anything to.
const FUZZ_SITE: &str = "fuzz";

/// Creates a site through the operator API; returns its admin token.
fn create_site(base: &str, operator: &str, id: &str) -> Result<String> {
    let body = serde_json::json!({ "id": id, "name": "Fuzz", "allowed_origins": [], "locales": ["en", "ru"] });
    let mut response = ureq::post(format!("{base}/v1/operator/sites"))
        .header("Authorization", &format!("Bearer {operator}"))
        .header("Content-Type", "application/json")
        .send(body.to_string().as_bytes())
        .map_err(|e| format!("creating the {id} site: {e}"))?;
    let created: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
    Ok(created["admin_token"].as_str().ok_or("no admin token in the answer")?.to_owned())
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn loader_budget() -> Result {
    let size = gzip_size(&fs::read(site_dir().join("tabdesk.js"))?)?;
    if size > LOADER_BUDGET {
        return Err(format!("the loader is {size} bytes gzip, over its budget of {LOADER_BUDGET}").into());
    }
    println!("    loader: {size} bytes gzip, budget {LOADER_BUDGET}");
    Ok(())
}

pub fn test() -> Result {
    setup()?;
    step("rustfmt --check", || run(cargo().args(["fmt", "--all", "--", "--check"])))?;
    step("module layers (no cycles)", crate::layers::check)?;
    step("clippy (native)", || {
        run(cargo().args([
            "clippy", "--all-targets", "-p", "tabdesk-core", "-p", "xtask", "-p", "tabdesk-tests", "--", "-D",
            "warnings",
        ]))
    })?;
    step("clippy (wasm32)", || {
        run(cargo().args([
            "clippy", "--target", WASM_TARGET, "-p", "tabdesk-core", "-p", "tabdesk-widget", "-p", "tabdesk-worker",
            "--", "-D", "warnings",
        ]))
    })?;
    step("unit tests", || run(cargo().args(["test", "-p", "tabdesk-core", "-p", "xtask"])))?;
    build_all()?;
    step("loader budget", loader_budget)?;

    let state = root().join("target/test-state");
    if state.exists() {
        fs::remove_dir_all(&state)?;
    }
    fs::create_dir_all(&state)?;
    let operator = operator_token()?;
    let admin = prepare_state(&state)?;
    let port = free_port()?;
    let log = state.join("wrangler.log");
    let configs = test_configs()?;
    let worker = step("start worker (fresh state)", || Worker::start(&state, port, Some(log), &configs))?;
    let env = [
        ("TABDESK_URL", worker.url()),
        ("TABDESK_SITE", DEMO_SITE.to_owned()),
        ("TABDESK_ADMIN_TOKEN", admin.clone()),
        ("TABDESK_OPERATOR_TOKEN", operator.clone()),
        ("TABDESK_STATE", state.display().to_string()),
    ];
    let hint = worker.log_hint();
    step("publish the demo knowledge base", || crate::kb::publish(&worker.url(), DEMO_SITE, &admin))?;
    step("API integration tests", || {
        run(cargo().args(["test", "-p", "tabdesk-tests"]).envs(env.clone())).map_err(|e| format!("{e}{hint}").into())
    })?;
    step("browser end-to-end tests", || {
        if fs::metadata(CHROMIUM).is_err() {
            return Err(format!("{CHROMIUM} is missing: install Debian's chromium package").into());
        }
        run(Command::new("node")
            .args(["--test", "--test-concurrency=1", "tests/e2e/widget.test.mjs"])
            .current_dir(root())
            .envs(env.clone())
            // The widget is referenced as localhost, the host page as 127.0.0.1: two origins.
            .env("TABDESK_WORKER_ORIGIN", format!("http://localhost:{port}"))
            .env("CHROMIUM", CHROMIUM))
        .map_err(|e| format!("{e}{hint}").into())
    })?;
    // Last: it PUTs random (valid) configurations, so it gets a site of its own.
    step("schemathesis: 0 server errors", || {
        let token = create_site(&worker.url(), &operator, FUZZ_SITE)?;
        let config = state.join("schemathesis.toml");
        fs::write(&config, format!("[parameters]\n\"path.site\" = \"{FUZZ_SITE}\"\n"))?;
        run(Command::new(root().join(".venv/bin/schemathesis"))
            .arg("--config-file")
            .arg(&config)
            .args(["run", &format!("{}/openapi.json", worker.url())])
            .args(["--checks", "not_a_server_error", "--max-examples", "30", "--seed", "1"])
            .args(["--header", &format!("Authorization: Bearer {token}")]))
        .map_err(|e| format!("{e}{hint}").into())
    })?;
    drop(worker);
    println!("all checks passed");
    Ok(())
}
