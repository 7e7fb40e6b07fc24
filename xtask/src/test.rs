//! `cargo xtask test`: static checks, unit tests, the builds, then the API and browser suites
//! against the real worker on local workerd with fresh local state. Everything started here is
//! stopped on the way out, failures included (the worker is stopped when dropped).

use std::fs;
use std::net::TcpListener;
use std::process::Command;

use crate::build::{build_all, gzip_size, site_dir, LOADER_BUDGET};
use crate::client::create_site;
use crate::local::{operator_token, prepare_state, test_configs, Worker, DEMO_SITE};
use crate::run::{cargo, run, step};
use crate::setup::{setup, CHROMIUM, WASM_TARGET};
use crate::{root, Result};

/// The site schemathesis may do anything to.
const FUZZ_SITE: &str = "fuzz";

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
            "clippy", "--all-targets", "-p", "tabdesk-core", "-p", "tabdesk-ui", "-p", "xtask", "-p", "tabdesk-tests",
            "-p", "send_wrapper", "--all-features", "--", "-D", "warnings",
        ]))
    })?;
    step("clippy (wasm32)", || {
        run(cargo().args([
            "clippy", "--target", WASM_TARGET, "-p", "tabdesk-core", "-p", "tabdesk-ui", "-p", "tabdesk-widget", "-p",
            "tabdesk-console", "-p", "tabdesk-worker", "--", "-D", "warnings",
        ]))
    })?;
    step("unit tests", || {
        run(cargo().args(["test", "-p", "tabdesk-core", "-p", "tabdesk-ui", "-p", "xtask", "-p", "send_wrapper"]))
    })?;
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
    // The channel tests run a stand-in for VK's and Telegram's APIs on this port.
    let platform_port = free_port()?;
    let configs = test_configs(Some(platform_port))?;
    let worker = step("start worker (fresh state)", || Worker::start(&state, port, Some(log), &configs))?;
    let env = [
        ("TABDESK_URL", worker.url()),
        ("TABDESK_SITE", DEMO_SITE.to_owned()),
        ("TABDESK_ADMIN_TOKEN", admin.clone()),
        ("TABDESK_OPERATOR_TOKEN", operator.clone()),
        ("TABDESK_STATE", state.display().to_string()),
        ("TABDESK_PLATFORM_PORT", platform_port.to_string()),
    ];
    let hint = worker.log_hint();
    step("publish the demo knowledge base", || crate::kb::publish(&worker.url(), DEMO_SITE, &admin))?;
    step("API integration tests", || {
        run(cargo().args(["test", "-p", "tabdesk-tests"]).envs(env.clone())).map_err(|e| format!("{e}{hint}").into())
    })?;
    let worker = step("fault: the worker killed in the middle of a burst", || {
        crate::fault::restart_mid_burst(worker, &operator, &state, || {
            Worker::start(&state, port, Some(state.join("wrangler-restarted.log")), &configs)
        })
    })?;
    let hint = worker.log_hint();
    step("browser end-to-end tests", || {
        if fs::metadata(CHROMIUM).is_err() {
            return Err(format!("{CHROMIUM} is missing: install Debian's chromium package").into());
        }
        let mut suites: Vec<String> = fs::read_dir(root().join("tests/e2e"))?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".test.mjs"))
            .map(|name| format!("tests/e2e/{name}"))
            .collect();
        suites.sort();
        run(Command::new("node")
            .args(["--test", "--test-concurrency=1"])
            .args(&suites)
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
        // The fuzz site for everything; the operator's token where sites are created; the demo
        // site's published articles where an article id is needed. Tickets are reached through
        // the document's links from createTicket.
        fs::write(
            &config,
            format!(
                "[parameters]\n\"path.site\" = \"{FUZZ_SITE}\"\n\n\
                 [[operations]]\ninclude-operation-id = \"createSite\"\n\
                 headers = {{ Authorization = \"Bearer {operator}\" }}\n\n\
                 [[operations]]\ninclude-operation-id = \"getArticle\"\n\
                 parameters = {{ \"path.site\" = \"{DEMO_SITE}\", \"path.id\" = \"wifi-router-setup\" }}\n\n\
                 [[operations]]\ninclude-operation-id = \"articleFeedback\"\n\
                 parameters = {{ \"path.site\" = \"{DEMO_SITE}\", \"path.id\" = \"wifi-router-setup\" }}\n"
            ),
        )?;
        run(Command::new(root().join(".venv/bin/schemathesis"))
            .env("SCHEMATHESIS_HOOKS", "schemathesis_hooks")
            .env("PYTHONPATH", root().join("tests"))
            .arg("--config-file")
            .arg(&config)
            .args(["run", &format!("{}/openapi.json", worker.url())])
            .args(["--checks", "not_a_server_error", "--max-examples", "30", "--seed", "1"])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            // The widget's own origin: what the public endpoints expect from a browser.
            .args(["--header", &format!("Origin: {}", worker.url())]))
        .map_err(|e| format!("{e}{hint}").into())
    })?;
    drop(worker);
    println!("all checks passed");
    Ok(())
}
