//! Building what the worker serves: the loader, the widget and the worker itself.
//!
//! Static files land in `target/site` (wrangler's assets directory); the worker in
//! `worker/build` (wrangler's `main`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
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

/// Minifies the script `input` into `out` with esbuild; `options` are esbuild's.
fn minify(input: &Path, out: &Path, options: &[&str]) -> Result {
    run(Command::new(npm_bin("esbuild"))
        .arg(input)
        .arg("--minify")
        .args(options)
        .arg(format!("--outfile={}", out.display())))
}

fn loader() -> Result {
    let out = site_dir().join("tabdesk.js");
    minify(&root().join("widget/loader/tabdesk.js"), &out, &["--target=es2017", "--log-level=warning"])?;
    let size = gzip_size(&fs::read(&out)?)?;
    println!("    loader: {size} bytes gzip (budget {LOADER_BUDGET})");
    // Every host page pays for the loader: over its budget, the build fails.
    if size > LOADER_BUDGET {
        return Err(format!("the loader is {size} bytes gzip, over its budget of {LOADER_BUDGET}").into());
    }
    Ok(())
}

/// wasm-opt's passes for the browser apps: for size, repeated while they still shrink the module
/// (`--converge`). `--low-memory-unused` lets it fold a pointer's small added constants into
/// loads' and stores' offsets, which is wrong only for an address that wraps around into the
/// first KiB of memory: Rust's code never computes one (that KiB is the bottom of a 1 MiB stack).
/// Together the widget's first module is 1.7 KB gzip lighter than with `-Oz` alone.
/// `--flatten --rereloop` between the `-Oz` rounds rebuilds each function's control flow from
/// scratch, which the next rounds shrink further than they do the compiler's: the widget's first
/// screen 0.7 KB gzip lighter, all its screens 1.7 KB (sixth session).
/// `--strip-producers` drops the section naming the compilers (about 100 bytes a module), and
/// `--strip-target-features` the one listing the wasm features the code uses (148 bytes a module:
/// tools read it, browsers do not; the widget's modules together are 2.3 KB gzip lighter).
const WASM_OPT: [&str; 9] = [
    "-Oz", "--flatten", "--rereloop", "-Oz", "-Oz", "--converge", "--low-memory-unused", "--strip-producers",
    "--strip-target-features",
];

/// rustc's flags for the browser apps (see `browser_app`).
const BROWSER_RUSTFLAGS: &str = "-Clink-args=--emit-relocs -Zlocation-detail=none -Zfmt-debug=none";

/// Builds the Leptos app of crate `dir` (package `tabdesk-<dir>`) for the browser into
/// `target/site/<dir>`: wasm-split (each `#[wasm_split]` function's code into a module of its own,
/// fetched on first use), wasm-bindgen, wasm-opt (`WASM_OPT`) on every module, and the crate's
/// `static/` files.
fn browser_app(dir: &str) -> Result {
    // The splitter needs the linker's relocations to tell which code each split point reaches.
    // Two of rustc's unstable flags, allowed on this stable compiler by `RUSTC_BOOTSTRAP` (the
    // machine has one toolchain and nothing can fetch a nightly): `location-detail=none` drops
    // the file, line and column that every `#[track_caller]` call records for a panic message
    // (Leptos' `get`, `set`, `with`… are such calls: hundreds of 16-byte records per module), and
    // `fmt-debug=none` makes `{:?}` print nothing (no browser code shows or sends a `Debug`
    // text). Together the widget's first screen is 9.7 KB gzip lighter. (A panic's message was
    // never seen in a browser, and since `abort` empties the panic entry points none is made.)
    run(cargo()
        .args(["build", "--release", "--target", WASM_TARGET, "-p", &format!("tabdesk-{dir}")])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", BROWSER_RUSTFLAGS)
        .env("RUSTC_BOOTSTRAP", "1"))?;
    let out = site_dir().join(dir);
    fs::create_dir_all(&out)?;
    let package = format!("tabdesk_{dir}");
    let release = root().join(format!("target/{WASM_TARGET}/release"));
    let input = crate::unused::drop_unused_exports(&fs::read(release.join(format!("{package}.wasm")))?)?;
    let input = crate::abort::trap_panics(&input)?;
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
    crate::unused::drop_unused_classes(&out.join(format!("{package}.js")))?;
    let bg = out.join(format!("{package}_bg.wasm"));
    crate::imports::shorten(&bg, &out.join(format!("{package}.js")), &format!("./{package}_bg.js"))?;
    for module in std::iter::once(&bg).chain(&split.split_modules) {
        run(Command::new(npm_bin("wasm-opt")).args(WASM_OPT).args(WASM_FEATURES).arg(module).arg("-o").arg(module))?;
    }
    name_by_content(&out, &split.split_modules)?;
    // wasm-bindgen's glue and the split loader come unminified: minified, the widget's first
    // screen is 2.4 KB gzip lighter. Errors only: the glue lists the split loader's module once
    // per split import under one key, which esbuild warns of and which is harmless (one module).
    for script in [format!("{package}.js"), "__wasm_split.js".to_owned()] {
        let path = out.join(script);
        minify(&path, &path, &["--allow-overwrite", "--log-level=error"])?;
    }
    // The crate's own page files, minified as the glue is: comments and indentation are a
    // quarter of a stylesheet written to be read (the widget's is 373 bytes gzip lighter).
    for entry in fs::read_dir(root().join(dir).join("static"))? {
        let path = entry?.path();
        let Some(name) = path.file_name() else { continue };
        match path.extension().and_then(|e| e.to_str()) {
            Some("css" | "js") => minify(&path, &out.join(name), &["--log-level=warning"])?,
            _ => _ = fs::copy(&path, out.join(name))?,
        }
    }
    Ok(())
}

/// Renames each on-demand module to `<name>.<crc32 of its bytes>.wasm` and points the split
/// loader (`__wasm_split.js`) at the new names, so those files can be cached for a year
/// (`www/_headers`): a changed module is a new file. The first module keeps its name: the
/// worker's pages refer to it, and it is cached for minutes.
fn name_by_content(out: &Path, modules: &[PathBuf]) -> Result {
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

/// The files of `target/site/<dir>`: each one's name and bytes (the build's checks and
/// `cargo xtask bench size` both read them from here).
pub fn site_files(dir: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(site_dir().join(dir))? {
        let entry = entry?;
        files.push((entry.file_name().to_string_lossy().into_owned(), fs::read(entry.path())?));
    }
    Ok(files)
}

/// A file's name and its gzip -9 size.
type FileSize = (String, usize);

/// The files of `target/site/<dir>` with their gzip -9 sizes, biggest first: those loaded before
/// anything is asked for, and all of them.
fn files_of(dir: &str) -> Result<(Vec<FileSize>, Vec<FileSize>)> {
    let mut all = Vec::new();
    for (name, bytes) in site_files(dir)? {
        all.push((name, gzip_size(&bytes)?));
    }
    all.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    let first = all.iter().filter(|(name, _)| !on_demand(name)).cloned().collect();
    Ok((first, all))
}

fn total(files: &[FileSize]) -> usize {
    files.iter().map(|(_, size)| size).sum()
}

/// The gzip -9 sizes of what `target/site/<dir>` loads before anything is asked for, and of all
/// of it.
pub fn screens(dir: &str) -> Result<(usize, usize)> {
    let (first, all) = files_of(dir)?;
    Ok((total(&first), total(&all)))
}

/// The budgets of DESIGN.md, gzip -9: the widget's first screen and all its screens, and what
/// the console loads first (sign-in and the queue).
pub const WIDGET_FIRST_BUDGET: usize = 90 * 1024;
pub const WIDGET_ALL_BUDGET: usize = 150 * 1024;
pub const CONSOLE_BUDGET: usize = 250 * 1024;

/// One screen's size against its budget. Over it, an error naming the biggest files.
fn enforce(what: &str, files: &[FileSize], budget: usize) -> Result {
    let size = total(files);
    let word = if size > budget { "OVER" } else { "within" };
    println!("    {what}: {size} bytes gzip, {word} the budget of {budget}");
    if size <= budget {
        return Ok(());
    }
    let biggest: Vec<String> = files.iter().take(3).map(|(name, size)| format!("{name} {size}")).collect();
    Err(format!("{what} is {size} bytes gzip, over {budget}; the biggest files: {}", biggest.join(", ")).into())
}

/// Builds the widget and holds it to its limits (the loader's is checked where it is built).
fn widget() -> Result {
    browser_app("widget")?;
    let (first, all) = files_of("widget")?;
    enforce("widget, first screen", &first, WIDGET_FIRST_BUDGET)?;
    enforce("widget, all screens", &all, WIDGET_ALL_BUDGET)
}

/// Builds the console and holds what it loads first to its budget.
fn console() -> Result {
    browser_app("console")?;
    let (first, all) = files_of("console")?;
    enforce("console, first screen", &first, CONSOLE_BUDGET)?;
    println!("    console, all screens: {} bytes gzip", total(&all));
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

/// Builds one part (`widget`, `console` or `worker`), for a quicker look at what a change to it
/// costs; the static files and the loader come along, being the same few milliseconds.
pub fn build_one(part: &str) -> Result {
    let build: fn() -> Result = match part {
        "widget" => widget,
        "console" => console,
        "worker" => worker,
        _ => return Err(format!("no part named {part}: widget, console or worker").into()),
    };
    step("build: static files", static_files)?;
    step("build: loader", loader)?;
    step(&format!("build: {part}"), build)
}

#[cfg(test)]
mod tests {
    use super::enforce;

    #[test]
    fn a_screen_over_its_limit_fails_and_names_its_biggest_files() {
        let files: Vec<(String, usize)> = [("app.wasm", 900), ("app.js", 200), ("app.css", 50), ("boot.js", 1)]
            .map(|(n, s)| (n.to_owned(), s))
            .into();
        assert!(enforce("app", &files, 2_000).is_ok());
        assert!(enforce("app", &files, 1_151).is_ok(), "at the budget");
        let error = enforce("app", &files, 1_000).expect_err("over the budget").to_string();
        assert_eq!(error, "app is 1151 bytes gzip, over 1000; the biggest files: app.wasm 900, app.js 200, app.css 50");
    }
}
