//! Building what the worker serves: the loader, the widget and the worker itself.
//!
//! Static files land in `target/site` (wrangler's assets directory); the worker in
//! `worker/build` (wrangler's `main`).

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::run::{cargo, copy_dir, npm_bin, run, step, tool_bin};
use crate::setup::WASM_TARGET;
use crate::{root, Result};

/// The loader's budget (DESIGN.md): 3 KB gzipped.
pub const LOADER_BUDGET: usize = 3 * 1024;

/// wasm features rustc emits by default for wasm32, which wasm-opt must be told about.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn site_dir() -> PathBuf {
    root().join("target/site")
}

/// Size of `bytes` after gzip -9, as a server would send them.
pub fn gzip_size(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn static_files() -> Result {
    let site = site_dir();
    if site.exists() {
        fs::remove_dir_all(&site)?;
    }
    copy_dir(&root().join("www"), &site)?;
    crate::openapi::write(&site.join("openapi.json"))
}

fn loader() -> Result {
    let out = site_dir().join("tabdesk.js");
    run(Command::new(npm_bin("esbuild"))
        .arg(root().join("widget/loader/tabdesk.js"))
        .args(["--minify", "--target=es2017", "--log-level=warning"])
        .arg(format!("--outfile={}", out.display())))?;
    let size = gzip_size(&fs::read(&out)?)?;
    println!("    loader: {size} bytes gzip (budget {LOADER_BUDGET})");
    // Every host page pays for the loader: over its budget, the build fails.
    if size > LOADER_BUDGET {
        return Err(format!("the loader is {size} bytes gzip, over its budget of {LOADER_BUDGET}").into());
    }
    Ok(())
}

/// Builds the Leptos app of crate `dir` (package `tabdesk-<dir>`) for the browser into
/// `target/site/<dir>`: wasm-split (each `#[wasm_split]` function's code into a module of its own,
/// fetched on first use), wasm-bindgen, wasm-opt -Oz on every module, and the crate's
/// `static/` files.
fn browser_app(dir: &str) -> Result {
    // The splitter needs the linker's relocations to tell which code each split point reaches.
    run(cargo()
        .args(["build", "--release", "--target", WASM_TARGET, "-p", &format!("tabdesk-{dir}")])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "-Clink-args=--emit-relocs"))?;
    let out = site_dir().join(dir);
    fs::create_dir_all(&out)?;
    let package = format!("tabdesk_{dir}");
    let release = root().join(format!("target/{WASM_TARGET}/release"));
    let input = fs::read(release.join(format!("{package}.wasm")))?;
    let main = release.join(format!("{package}_split.wasm"));
    // The split modules' loader imports `initSync` from the app's own script, by this name.
    let main_module = format!("./{package}.js");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &out;
    options.main_out_path = &main;
    options.main_module = &main_module;
    let split = wasm_split_cli_support::transform(options).map_err(|e| format!("wasm-split: {e:#}"))?;
    // `--keep-lld-exports`: the split modules call through the main module's function table.
    run(Command::new(tool_bin("wasm-bindgen"))
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--out-name", &package, "--out-dir"])
        .arg(&out)
        .arg(&main))?;
    let bg = out.join(format!("{package}_bg.wasm"));
    for module in std::iter::once(&bg).chain(&split.split_modules) {
        run(Command::new(npm_bin("wasm-opt")).arg("-Oz").args(WASM_FEATURES).arg(module).arg("-o").arg(module))?;
    }
    name_by_content(&out, &split.split_modules)?;
    copy_dir(&root().join(dir).join("static"), &out)
}

/// Renames each on-demand module to `<name>.<crc32 of its bytes>.wasm` and points the split
/// loader (`__wasm_split.js`) at the new names, so those files can be cached for a year
/// (`www/_headers`): a changed module is a new file. The first module keeps its name: the
/// worker's pages refer to it, and it is cached for minutes.
fn name_by_content(out: &std::path::Path, modules: &[PathBuf]) -> Result {
    let loader = out.join("__wasm_split.js");
    let mut script = fs::read_to_string(&loader)?;
    for module in modules {
        let bytes = fs::read(module)?;
        let mut crc = flate2::Crc::new();
        crc.update(&bytes);
        let stem = module.file_stem().and_then(|s| s.to_str()).ok_or("a module without a name")?;
        let named = format!("{stem}.{:08x}.wasm", crc.sum());
        let old = format!("\"./{stem}.wasm\"");
        if !script.contains(&old) {
            return Err(format!("__wasm_split.js does not load {stem}.wasm").into());
        }
        script = script.replace(&old, &format!("\"./{named}\""));
        fs::rename(module, out.join(named))?;
    }
    fs::write(&loader, script)?;
    Ok(())
}

/// Whether a file of an app is one of wasm-split's modules, fetched only when a screen asks for
/// it (`split_<screen>.wasm`, and `chunk_<n>.wasm` for code such screens share).
pub fn on_demand(file: &str) -> bool {
    (file.starts_with("split_") || file.starts_with("chunk_")) && file.ends_with(".wasm")
}

/// The gzip -9 sizes of what `target/site/<dir>` loads before anything is asked for, and of all
/// of it.
pub fn screens(dir: &str) -> Result<(usize, usize)> {
    let (mut first, mut all) = (0, 0);
    for entry in fs::read_dir(site_dir().join(dir))? {
        let entry = entry?;
        let size = gzip_size(&fs::read(entry.path())?)?;
        all += size;
        if !on_demand(&entry.file_name().to_string_lossy()) {
            first += size;
        }
    }
    Ok((first, all))
}

/// The budgets of DESIGN.md, gzip -9: the widget's first screen and all its screens, and what
/// the console loads first (sign-in and the queue).
pub const WIDGET_FIRST_BUDGET: usize = 90 * 1024;
pub const WIDGET_ALL_BUDGET: usize = 150 * 1024;
pub const CONSOLE_BUDGET: usize = 250 * 1024;

fn verdict(size: usize, budget: usize) -> String {
    let word = if size > budget { "OVER" } else { "within" };
    format!("{size} bytes gzip, {word} the budget of {budget}")
}

/// Reports the apps' sizes against their budgets. Over them, the build goes on (for the loader
/// it fails): until the first screens fit, they are measured, not enforced.
fn widget() -> Result {
    browser_app("widget")?;
    let (first, all) = screens("widget")?;
    println!("    widget, first screen: {}", verdict(first, WIDGET_FIRST_BUDGET));
    println!("    widget, all screens: {}", verdict(all, WIDGET_ALL_BUDGET));
    Ok(())
}

fn console() -> Result {
    browser_app("console")?;
    let (first, all) = screens("console")?;
    println!("    console, first screen: {}", verdict(first, CONSOLE_BUDGET));
    println!("    console, all screens: {all} bytes gzip");
    Ok(())
}

fn worker() -> Result {
    let root = root();
    // The worker answers searches: it is built for speed (opt-level 3), the widget for size.
    run(Command::new(tool_bin("worker-build"))
        .arg("--release")
        .current_dir(root.join("worker"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3")
        .env("WASM_BINDGEN_BIN", tool_bin("wasm-bindgen"))
        .env("WASM_OPT_BIN", npm_bin("wasm-opt"))
        .env("ESBUILD_BIN", npm_bin("esbuild")))
}

pub fn build_all() -> Result {
    step("build: static files", static_files)?;
    step("build: loader", loader)?;
    step("build: widget", widget)?;
    step("build: console", console)?;
    step("build: worker", worker)
}
