//! Running steps and commands, announced and timed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{root, Result};

/// Runs one announced step and reports how long it took, also when it fails.
pub fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("==> {name}");
    let started = Instant::now();
    let result = f();
    let took = started.elapsed().as_secs_f64();
    match &result {
        Ok(_) => println!("<== {name}: done in {took:.1}s"),
        Err(e) => println!("<== {name}: FAILED after {took:.1}s: {e}"),
    }
    result
}

/// Runs a command to completion; a non-zero exit is an error naming the command.
/// Errors name the program and its arguments, never its environment (which may hold tokens).
pub fn run(cmd: &mut Command) -> Result {
    let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    let shown = format!("{} {}", cmd.get_program().to_string_lossy(), args.join(" "));
    let status = cmd.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed with {status}").into())
    }
}

/// A command's standard output, if it ran and succeeded.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `cargo` as invoked us (rustup's proxy honours the toolchain file).
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// A binary installed by npm into node_modules/.bin.
pub fn npm_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

/// A binary installed by `cargo install --root .tools`.
pub fn tool_bin(name: &str) -> PathBuf {
    root().join(".tools/bin").join(name)
}

pub fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
