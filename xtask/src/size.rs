//! `cargo xtask bench size`: the bytes each screen loads, file by file, after gzip -9 and
//! brotli 11 (what a server sends), against the budgets of DESIGN.md; then where the bytes of
//! each wasm come from, by crate and by function, from twiggy. Markdown, to paste into a note.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::process::Command;

use crate::build::{
    build_all, gzip_size, on_demand, site_dir, site_files, CONSOLE_BUDGET, LOADER_BUDGET, WIDGET_ALL_BUDGET,
    WIDGET_FIRST_BUDGET,
};
use crate::run::{output, step, tool_bin};
use crate::setup::{cargo_tool, setup, WASM_TARGET};
use crate::{root, Result};

/// twiggy (crates.io), pinned: it reads the names the wasm carries before wasm-opt strips them.
const TWIGGY: &str = "0.8.0";

/// Size of `bytes` after brotli at its best quality, as precompressed files are served.
pub fn brotli_size(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out.len())
}

/// One file as served: (name, bytes, gzip -9, brotli 11).
type Sizes = (String, usize, usize, usize);

fn sizes_of(name: &str, bytes: &[u8]) -> Result<Sizes> {
    Ok((name.to_owned(), bytes.len(), gzip_size(bytes)?, brotli_size(bytes)?))
}

/// The files of a directory under `target/site`, by name.
fn files_in(dir: &str) -> Result<Vec<Sizes>> {
    let mut files = Vec::new();
    for (name, bytes) in site_files(dir)? {
        files.push(sizes_of(&format!("{dir}/{name}"), &bytes)?);
    }
    files.sort();
    Ok(files)
}

/// The files loaded before anything is asked for: all but wasm-split's modules.
fn first_screen(files: &[Sizes]) -> Vec<Sizes> {
    files.iter().filter(|(name, ..)| !on_demand(name.rsplit('/').next().unwrap_or(name))).cloned().collect()
}

/// A Markdown table of `files` with their total, and the verdict against `budget` (gzip), if
/// there is one.
fn table(title: &str, files: &[Sizes], budget: Option<usize>) {
    match budget {
        Some(budget) => println!("\n**{title}** (budget {} KB gzip)\n", budget / 1024),
        None => println!("\n**{title}**\n"),
    }
    println!("| file | bytes | gzip -9 | brotli 11 |\n|---|---:|---:|---:|");
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for (name, r, g, b) in files {
        println!("| {name} | {r} | {g} | {b} |");
        (raw, gz, br) = (raw + r, gz + g, br + b);
    }
    let verdict = match budget {
        Some(budget) if gz > budget => " (over the budget)",
        Some(_) => " (within the budget)",
        None => "",
    };
    println!("| **total**{verdict} | {raw} | **{gz}** | {br} |");
}

/// The crate a twiggy item belongs to: the first path segment of its name, looking through
/// `<T as Trait>` and references. Sections and data keep their own names.
fn crate_of(item: &str) -> String {
    let name = item.trim_start_matches(['<', '&']).trim_start_matches("mut ").trim_start_matches("dyn ");
    let end = name.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(name.len());
    match &name[..end] {
        "" => item.to_owned(),
        krate => krate.to_owned(),
    }
}

/// Where the bytes of an app's first module come from (wasm-split's main module, before
/// wasm-bindgen and wasm-opt, which still has its names): the largest crates and functions.
/// Shares, not final bytes: wasm-opt shrinks everything afterwards.
fn breakdown(package: &str) -> Result {
    let wasm = root().join(format!("target/{WASM_TARGET}/release/{package}_split.wasm"));
    let csv = output(Command::new(tool_bin("twiggy")).args(["top", "-n", "1000000", "--format", "csv"]).arg(&wasm))
        .ok_or("twiggy failed")?;
    let mut crates: BTreeMap<String, usize> = BTreeMap::new();
    let mut functions = Vec::new();
    for line in csv.lines().skip(1) {
        // Name,ShallowSize,…: names may hold commas inside quotes, sizes never do.
        let fields: Vec<&str> = line.rsplitn(5, ',').collect();
        let (Some(name), Some(size)) = (fields.get(4), fields.get(3).and_then(|s| s.parse::<usize>().ok())) else {
            continue;
        };
        let name = name.trim_matches('"');
        // Names, relocations and wasm-bindgen's own description are gone after wasm-bindgen
        // and wasm-opt.
        if name.contains("function names") || name.starts_with("custom section") || name.starts_with("export ") {
            continue;
        }
        *crates.entry(crate_of(name)).or_default() += size;
        functions.push((size, name.to_owned()));
    }
    let code: usize = crates.values().sum();
    let mut by_size: Vec<_> = crates.into_iter().collect();
    by_size.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    println!(
        "\n**{package}, first module before wasm-opt: {code} bytes of code and data, by crate** (twiggy {TWIGGY})\n"
    );
    println!("| crate | bytes | share |\n|---|---:|---:|");
    for (krate, size) in by_size.iter().take(15) {
        println!("| {krate} | {size} | {:.1}% |", *size as f64 * 100.0 / code as f64);
    }
    functions.sort_by_key(|(size, _)| std::cmp::Reverse(*size));
    println!("\n| largest items | bytes |\n|---|---:|");
    for (size, name) in functions.iter().take(10) {
        let short: String = name.chars().take(110).collect();
        println!("| `{}` | {size} |", short.replace('|', "\\|"));
    }
    Ok(())
}

pub fn size() -> Result {
    setup()?;
    step(&format!("bench: twiggy {TWIGGY}"), || cargo_tool("twiggy", "twiggy", TWIGGY))?;
    build_all()?;
    println!("\n### Bytes per screen (`cargo xtask bench size`)");
    let loader = sizes_of("tabdesk.js", &fs::read(site_dir().join("tabdesk.js"))?)?;
    table("Host page before intent: the loader", &[loader], Some(LOADER_BUDGET));
    let widget = files_in("widget")?;
    table("Widget, first screen (search, results, articles)", &first_screen(&widget), Some(WIDGET_FIRST_BUDGET));
    table("Widget, all screens (the form and My requests fetched on demand)", &widget, Some(WIDGET_ALL_BUDGET));
    let console = files_in("console")?;
    table("Console, what /console loads first (sign-in, queue)", &first_screen(&console), Some(CONSOLE_BUDGET));
    table("Console, all screens (ticket, reports and settings fetched on demand)", &console, None);
    breakdown("tabdesk_widget")?;
    breakdown("tabdesk_console")
}
