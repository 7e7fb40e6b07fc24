//! `cargo xtask setup`: everything a fresh machine with rustup, Node and git needs, taken only
//! from crates.io, npm and Debian. Idempotent: what is already there at the right version stays.

use std::fs;
use std::process::Command;

use crate::run::{cargo, output, run, step, tool_bin};
use crate::{root, Result};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The version of `package` that Cargo.lock pins.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")? + start;
    Ok(lock[start..end].to_owned())
}

fn wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("    {WASM_TARGET} is installed");
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// `cargo install --locked --root .tools <krate> --version <version>` unless `bin --version`
/// already prints that version.
pub fn cargo_tool(krate: &str, bin: &str, version: &str) -> Result {
    let current = output(Command::new(tool_bin(bin)).arg("--version")).unwrap_or_default();
    if current.split_whitespace().any(|w| w == version) {
        println!("    {bin} {version} is installed");
        return Ok(());
    }
    run(cargo().args(["install", "--locked", "--root", ".tools", krate, "--version", version]))
}

fn npm_packages() -> Result {
    let root = root();
    let installed = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (fs::metadata(&installed), fs::metadata(&lock)) {
        (Ok(i), Ok(l)) => i.modified()? >= l.modified()?,
        _ => false,
    };
    if fresh {
        println!("    node_modules matches package-lock.json");
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&root))
}

/// Schemathesis (PyPI), pinned, in a project-local virtualenv.
pub const SCHEMATHESIS: &str = "4.32.5";

fn schemathesis() -> Result {
    let venv = root().join(".venv");
    let bin = venv.join("bin/schemathesis");
    let current = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if current.contains(SCHEMATHESIS) {
        println!("    schemathesis {SCHEMATHESIS} is installed");
        return Ok(());
    }
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={SCHEMATHESIS}")))
}

fn chromium() -> Result {
    if fs::metadata(CHROMIUM).is_ok() {
        println!("    {CHROMIUM} is installed");
        return Ok(());
    }
    let uid = output(Command::new("id").arg("-u")).unwrap_or_default();
    if uid.trim() != "0" {
        println!(
            "    Chromium is missing and we are not root: run `sudo apt-get install -y chromium` \
             (browser tests need {CHROMIUM})"
        );
        return Ok(());
    }
    run(Command::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "chromium", "chromium-driver", "fonts-dejavu-core"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

pub fn setup() -> Result {
    step("setup: rust target wasm32", wasm_target)?;
    let bindgen = locked_version("wasm-bindgen")?;
    step(&format!("setup: wasm-bindgen-cli {bindgen}"), || cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &bindgen))?;
    // worker-build must match the `worker` crate it builds.
    let worker = locked_version("worker")?;
    step(&format!("setup: worker-build {worker}"), || cargo_tool("worker-build", "worker-build", &worker))?;
    step("setup: npm packages", npm_packages)?;
    step(&format!("setup: schemathesis {SCHEMATHESIS} (.venv)"), schemathesis)?;
    step("setup: chromium", chromium)
}
