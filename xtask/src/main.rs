//! `cargo xtask <command>`: the project's only entry points. Every step says what it does and
//! how long it took; any failure ends the command with a non-zero exit.

mod abort;
mod bench;
mod build;
mod client;
mod fault;
mod imports;
mod kb;
mod layers;
mod local;
mod openapi;
mod run;
mod setup;
mod size;
mod test;
mod unused;

use std::path::PathBuf;
use std::process::ExitCode;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: cargo xtask <command>

  setup               install the wasm target, pinned CLIs (.tools/), npm packages, Chromium
  build               build the loader, the widget and the worker into target/site and worker/build
  build <part>        only the widget, the console or the worker (with the loader)
  dev [--port 8787]   build, migrate and seed local D1, run wrangler dev, print the demo URL and tokens
  test                fmt, clippy (native + wasm32), unit tests, builds, API and browser tests
  layers              each crate's modules in layers; fails on a module cycle
  kb publish --site S [--to URL] [--token T]   publish kb/S to a worker
  bench search        our search engine against SQLite FTS5 (BANKING77 relevance, latency)
  bench intake        ticket intake under load on the local worker (throughput, latency, exactly once)
  bench sites         20 sites at once, one at 10x the others' rate: the quiet sites' latency, exactly once
  bench stats         statistics of one site with 10,000 tickets (latency)
  bench console       the console's size, and its queue shown over 1,000 tickets (headless Chromium)
  bench widget        the widget's cost to a host page before intent, open → interactive, opening the form
  bench size          the bytes each screen loads (gzip -9, brotli 11) against the budgets, and twiggy's breakdown";

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn port_arg(args: &[String]) -> Result<u16> {
    match args.iter().position(|a| a == "--port") {
        Some(i) => Ok(args
            .get(i + 1)
            .ok_or("--port needs a number")?
            .parse()
            .map_err(|_| "--port needs a number from 1 to 65535")?),
        None => Ok(8787),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(),
        Some("build") => setup::setup().and_then(|()| match args.get(1) {
            Some(part) => build::build_one(part),
            None => build::build_all(),
        }),
        Some("dev") => port_arg(&args).and_then(local::dev),
        Some("test") => test::test(),
        Some("layers") => layers::check(),
        Some("kb") => kb::command(&args[1..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("search") => bench::search(),
        Some("bench") if args.get(1).map(String::as_str) == Some("intake") => bench::intake(),
        Some("bench") if args.get(1).map(String::as_str) == Some("sites") => bench::sites(),
        Some("bench") if args.get(1).map(String::as_str) == Some("stats") => bench::stats(),
        Some("bench") if args.get(1).map(String::as_str) == Some("console") => bench::console(),
        Some("bench") if args.get(1).map(String::as_str) == Some("size") => size::size(),
        Some("bench") if args.get(1).map(String::as_str) == Some("widget") => bench::widget(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
