//! `cargo xtask test`: static checks, unit tests, the builds, then the API and browser suites
//! against the real worker on local workerd with fresh local state. Everything started here is
//! stopped on the way out, failures included (the worker is stopped when dropped).

use std::fs;
use std::net::TcpListener;
use std::process::Command;

use crate::build::{build_all, gzip_size, site_dir, LOADER_BUDGET};
use crate::local::{operator_token, prepare_state, Worker, DEMO_SITE};
use crate::run::{cargo, run, step};
use crate::setup::{setup, CHROMIUM, WASM_TARGET};
use crate::{root, Result};

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
    let worker = step("start worker (fresh state)", || Worker::start(&state, port, Some(log)))?;
    let env = [
        ("TABDESK_URL", worker.url()),
        ("TABDESK_SITE", DEMO_SITE.to_owned()),
        ("TABDESK_ADMIN_TOKEN", admin),
        ("TABDESK_OPERATOR_TOKEN", operator),
    ];
    let hint = worker.log_hint();
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
    drop(worker);
    println!("all checks passed");
    Ok(())
}
