//! The local worker: D1 state (migrations, demo seed), `wrangler dev`, and `cargo xtask dev`.

use std::fs::{self, File};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tabdesk_core::config::{validate_config, SiteConfig};
use tabdesk_core::token::{hash_token, new_token};

use crate::build::build_all;
use crate::kb::demo_articles_sql;
use crate::run::{npm_bin, run, step};
use crate::setup::setup;
use crate::{root, Result};

/// The demo site seeded into every local database.
pub const DEMO_SITE: &str = "demo";
const READY_TIMEOUT: Duration = Duration::from_secs(90);

/// `wrangler` run from `worker/`, with telemetry and prompts off.
fn wrangler() -> Command {
    let mut cmd = Command::new(npm_bin("wrangler"));
    cmd.current_dir(root().join("worker"))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_HIDE_BANNER", "true")
        .env("CI", "true");
    cmd
}

/// A fresh 256-bit token from the OS.
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(new_token(bytes))
}

/// The local `OPERATOR_TOKEN`, kept in `worker/.dev.vars` (made on first use, never committed).
pub fn operator_token() -> Result<String> {
    let path = root().join("worker/.dev.vars");
    if let Ok(text) = fs::read_to_string(&path) {
        if let Some(token) = text.lines().find_map(|l| l.strip_prefix("OPERATOR_TOKEN=")) {
            return Ok(token.trim().trim_matches('"').to_owned());
        }
    }
    let token = random_token()?;
    fs::write(&path, format!("OPERATOR_TOKEN=\"{token}\"\n"))?;
    Ok(token)
}

/// The demo site's configuration (`worker/seed/demo.json`), checked like any agent's PUT.
pub fn demo_config() -> Result<SiteConfig> {
    let path = root().join("worker/seed/demo.json");
    let config: SiteConfig =
        serde_json::from_str(&fs::read_to_string(&path)?).map_err(|e| format!("{}: {e}", path.display()))?;
    let errors = validate_config(&config);
    if !errors.is_empty() {
        return Err(format!("{}: {errors:?}", path.display()).into());
    }
    Ok(config)
}

fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Applies migrations to the local D1 in `persist` and seeds the demo site with a new admin
/// token (returned) and the demo articles.
pub fn prepare_state(persist: &Path) -> Result<String> {
    step("local D1: migrations", || {
        run(wrangler().args(["d1", "migrations", "apply", "tabdesk", "--local", "--persist-to"]).arg(persist))
    })?;
    let admin = random_token()?;
    step("local D1: demo site and articles", || {
        let mut sql = format!(
            "INSERT INTO sites (id, config, admin_token_hash, created_at)
             VALUES ({id}, {config}, {hash}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
             ON CONFLICT (id) DO UPDATE SET admin_token_hash = excluded.admin_token_hash, config = excluded.config;\n",
            id = sql_str(DEMO_SITE),
            config = sql_str(&serde_json::to_string(&demo_config()?)?),
            hash = sql_str(&hash_token(&admin)),
        );
        sql.push_str(&demo_articles_sql(DEMO_SITE, sql_str)?);
        let file = persist.join("seed.sql");
        fs::create_dir_all(persist)?;
        fs::write(&file, sql)?;
        run(wrangler()
            .args(["d1", "execute", "tabdesk", "--local", "--persist-to"])
            .arg(persist)
            .arg("--file")
            .arg(&file))
    })?;
    Ok(admin)
}

/// A running `wrangler dev`, stopped (with everything it started) when dropped.
pub struct Worker {
    child: Child,
    pub port: u16,
    pub log: Option<PathBuf>,
}

impl Worker {
    /// Starts the worker on 127.0.0.1:`port` with state in `persist`; output goes to `log`
    /// when given, else to our terminal. Returns once `/healthz` answers.
    pub fn start(persist: &Path, port: u16, log: Option<PathBuf>) -> Result<Worker> {
        let mut cmd = wrangler();
        cmd.args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .args(["--show-interactive-dev-session=false", "--persist-to"])
            .arg(persist)
            .stdin(Stdio::null());
        if let Some(path) = &log {
            let file = File::create(path)?;
            cmd.stdout(file.try_clone()?).stderr(file);
        }
        // Its own process group, so that stopping it also stops workerd.
        cmd.process_group(0);
        let child = cmd.spawn().map_err(|e| format!("could not start wrangler: {e}"))?;
        let mut worker = Worker { child, port, log };
        worker.wait_ready()?;
        Ok(worker)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&mut self) -> Result {
        let started = Instant::now();
        let url = format!("{}/healthz", self.url());
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(2))).build().into();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(format!("wrangler dev exited early ({status}){}", self.log_hint()).into());
            }
            if agent.get(&url).call().is_ok() {
                println!("    worker ready on {} after {:.1}s", self.url(), started.elapsed().as_secs_f64());
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!("the worker did not answer {url} in time{}", self.log_hint()).into());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    pub fn log_hint(&self) -> String {
        self.log.as_ref().map(|p| format!("; see {}", p.display())).unwrap_or_default()
    }

    /// Waits for wrangler to end by itself (Ctrl-C in `dev`).
    pub fn wait(mut self) -> Result {
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// `cargo xtask dev`.
pub fn dev(port: u16) -> Result {
    setup()?;
    build_all()?;
    let operator = operator_token()?;
    let persist = root().join(".wrangler/state");
    let admin = prepare_state(&persist)?;
    let worker = step("start wrangler dev", || Worker::start(&persist, port, None))?;
    let url = worker.url();
    println!();
    println!("demo page: {url}/demo/  (English: {url}/demo/en.html)");
    println!(
        "embed snippet: <script src=\"http://localhost:{port}/tabdesk.js\" data-site=\"{DEMO_SITE}\" async></script>"
    );
    println!("admin token: {admin}");
    println!("operator token: {operator}");
    println!();
    println!("Ctrl-C stops the worker.");
    worker.wait()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_config_is_valid() {
        let config = super::demo_config().unwrap();
        assert!(config.form.categories.len() >= 3);
    }
}
