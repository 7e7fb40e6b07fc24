//! Helpers of the API integration tests. They talk HTTP to the real worker that
//! `cargo xtask test` starts on local workerd with fresh local D1, found through `TABDESK_URL`.

use std::time::Duration;

use serde_json::Value;

/// What the worker answered.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Asserts an RFC 9457 problem with `status` and returns it.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.content_type, "application/problem+json", "body: {}", self.body);
        let p = self.json();
        assert_eq!(p["status"], status);
        assert!(p["type"].is_string() && p["title"].is_string() && p["detail"].is_string(), "{p}");
        p
    }

    /// The `field`s of a 422's errors.
    pub fn error_fields(&self) -> Vec<String> {
        let p = self.problem(422);
        p["errors"]
            .as_array()
            .expect("a 422 lists its errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

/// The worker under test.
pub struct Api {
    agent: ureq::Agent,
    /// The client address this test claims (`CF-Connecting-IP`), so that tests do not share a
    /// rate-limit budget. Documentation addresses: nothing is ever sent to them.
    pub ip: String,
    pub base: String,
    pub site: String,
    pub admin_token: String,
    pub operator_token: String,
}

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: these tests run against a live worker; use `cargo xtask test`"))
}

impl Api {
    pub fn from_env() -> Api {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Api {
            agent,
            ip: format!("198.51.{}.{}", n / 250, n % 250 + 1),
            base: env("TABDESK_URL"),
            site: env("TABDESK_SITE"),
            admin_token: env("TABDESK_ADMIN_TOKEN"),
            operator_token: env("TABDESK_OPERATOR_TOKEN"),
        }
    }

    /// The SQLite files behind one kind of the worker's local storage (`TABDESK_STATE`): the
    /// directory (D1), every site's store (the `SiteStore` Durable Objects), or KV.
    fn databases(store: Store) -> Vec<rusqlite::Connection> {
        let state = std::path::Path::new(&env("TABDESK_STATE")).join("v3");
        let dirs: Vec<std::path::PathBuf> = match store {
            Store::Directory => vec![state.join("d1/miniflare-D1DatabaseObject")],
            Store::Kv => vec![state.join("kv/miniflare-KVNamespaceObject")],
            Store::Sites => std::fs::read_dir(state.join("do"))
                .map(|dirs| {
                    dirs.filter_map(|d| Some(d.ok()?.path()))
                        .filter(|p| p.to_string_lossy().ends_with("SiteStore"))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let files = dirs
            .iter()
            .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().filter_map(|f| Some(f.ok()?.path())));
        files
            .filter(|p| p.extension().is_some_and(|e| e == "sqlite") && p.file_stem().is_some_and(|s| s != "metadata"))
            .map(|p| {
                let db = rusqlite::Connection::open(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                db.busy_timeout(Duration::from_secs(10)).expect("a busy timeout");
                db
            })
            .collect()
    }

    /// The store of `site`, if it has one yet (a store is made by its site's first request).
    fn site_database(site: &str) -> Option<rusqlite::Connection> {
        Api::databases(Store::Sites).into_iter().find(|db| {
            db.query_row("SELECT value FROM meta WHERE key = 'site'", [], |r| r.get::<_, String>(0))
                .is_ok_and(|s| s == site)
        })
    }

    /// The rows `sql` (with `?1`, `?2`… bound to `params`) finds in `site`'s store, each column
    /// as text (NULL as `None`); none when the site has no store yet. Reads the SQLite file of
    /// the worker's local state, so a test sees exactly what was written.
    pub fn stored(&self, site: &str, sql: &str, params: &[&str]) -> Vec<Vec<Option<String>>> {
        Api::site_database(site).map(|db| Api::rows(&db, sql, params)).unwrap_or_default()
    }

    /// Changes what `site`'s store holds, as a fault would (an event left unqueued, a key aged
    /// past its window); returns the rows changed.
    pub fn alter_stored(&self, site: &str, sql: &str, params: &[&str]) -> usize {
        let db = Api::site_database(site).unwrap_or_else(|| panic!("no store of {site}"));
        db.execute(sql, rusqlite::params_from_iter(params)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Holds a write lock on `site`'s store (as another writer, or a stalled disk, would) until
    /// the returned connection is dropped.
    pub fn lock_stored(&self, site: &str) -> rusqlite::Connection {
        let db = Api::site_database(site).unwrap_or_else(|| panic!("no store of {site}"));
        db.execute_batch("BEGIN EXCLUSIVE").expect("the write lock");
        db
    }

    /// Runs `site`'s store upkeep now (as its alarm does each minute).
    pub fn upkeep(&self, site: &str) -> Value {
        let auth = format!("Bearer {}", self.operator_token);
        let reply = self.send("POST", &format!("/v1/operator/sites/{site}/upkeep"), "", &[("Authorization", &auth)]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }

    /// The rows of `sql` in one kind of the worker's storage, every database's after another.
    pub fn stored_in(&self, store: Store, sql: &str, params: &[&str]) -> Vec<Vec<Option<String>>> {
        Api::databases(store).iter().flat_map(|db| Api::rows(db, sql, params)).collect()
    }

    /// [`Api::stored`], store by store: one list of rows per site's store.
    pub fn stored_by_store(&self, sql: &str, params: &[&str]) -> Vec<Vec<Vec<Option<String>>>> {
        Api::databases(Store::Sites).iter().map(|db| Api::rows(db, sql, params)).collect()
    }

    fn rows(db: &rusqlite::Connection, sql: &str, params: &[&str]) -> Vec<Vec<Option<String>>> {
        let mut statement = db.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let columns = statement.column_count();
        let rows = statement
            .query_map(rusqlite::params_from_iter(params), |row| {
                (0..columns)
                    .map(|i| {
                        row.get_ref(i).map(|v| match v {
                            rusqlite::types::ValueRef::Null => None,
                            rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
                            rusqlite::types::ValueRef::Real(x) => Some(x.to_string()),
                            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                                Some(String::from_utf8_lossy(t).into_owned())
                            }
                        })
                    })
                    .collect()
            })
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.map(|r| r.expect("a row reads")).collect()
    }

    /// [`Api::stored`], asked again for up to five seconds until `done` is satisfied: for what
    /// the worker writes after answering (statistics).
    pub fn stored_eventually(
        &self,
        site: &str,
        sql: &str,
        params: &[&str],
        done: impl Fn(&[Vec<Option<String>>]) -> bool,
    ) -> Vec<Vec<Option<String>>> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let rows = self.stored(site, sql, params);
            if done(&rows) || std::time::Instant::now() > deadline {
                return rows;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn reply(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = result.expect("the worker answers");
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect();
        let content_type = headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.split(';').next().unwrap_or_default().trim().to_owned())
            .unwrap_or_default();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Reply { status, content_type, headers, body }
    }

    /// GET with optional headers (name, value).
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(format!("{}{path}", self.base)).header("CF-Connecting-IP", &self.ip);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Api::reply(req.call())
    }

    /// GET as an agent with `token`.
    pub fn get_as(&self, path: &str, token: &str) -> Reply {
        self.get(path, &[("Authorization", &format!("Bearer {token}"))])
    }

    /// A request with a body and headers; `method` is POST, PUT, PATCH or DELETE. `wrangler
    /// dev` sometimes restarts its workerd just after starting and answers the request it was
    /// serving with its own 503 (never ours): such a request is sent again, once.
    pub fn send(&self, method: &str, path: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        let reply = self.send_once(method, path, body, headers);
        if reply.status == 503 && reply.body.contains("Your worker restarted mid-request") {
            std::thread::sleep(Duration::from_millis(200));
            return self.send_once(method, path, body, headers);
        }
        reply
    }

    fn send_once(&self, method: &str, path: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        let url = format!("{}{path}", self.base);
        if method == "DELETE" {
            let mut req = self.agent.delete(url).header("CF-Connecting-IP", &self.ip);
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            return Api::reply(req.call());
        }
        let mut req = match method {
            "POST" => self.agent.post(url),
            "PUT" => self.agent.put(url),
            "PATCH" => self.agent.patch(url),
            other => panic!("unsupported method {other}"),
        }
        .header("CF-Connecting-IP", &self.ip);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Api::reply(req.send(body.as_bytes()))
    }

    /// POST a JSON body.
    pub fn post_json(&self, path: &str, body: &Value, headers: &[(&str, &str)]) -> Reply {
        let mut all = vec![("Content-Type", "application/json")];
        all.extend_from_slice(headers);
        self.send("POST", path, &body.to_string(), &all)
    }

    /// Files a ticket on `site` with `key`.
    pub fn create_ticket(&self, site: &str, body: &Value, key: &str) -> Reply {
        self.post_json(&format!("/v1/sites/{site}/tickets"), body, &[("Idempotency-Key", key)])
    }

    /// A fresh site of this test's own (its id starts with `prefix`), with its admin token.
    pub fn own_site(&self, prefix: &str) -> (String, String) {
        let id = unique(prefix).chars().take(30).collect::<String>();
        let token = self.create_site(&id);
        (id, token)
    }

    /// Creates a site through the operator API and returns its admin token.
    pub fn create_site(&self, id: &str) -> String {
        let body = serde_json::json!({
            "id": id, "name": format!("Site {id}"),
            "allowed_origins": ["https://shop.example"], "locales": ["en"]
        });
        let auth = format!("Bearer {}", self.operator_token);
        let reply = self.post_json("/v1/operator/sites", &body, &[("Authorization", &auth)]);
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()["admin_token"].as_str().expect("an admin token").to_owned()
    }
}

/// How a test webhook receiver answers its `n`-th delivery (from 0).
#[derive(Debug, Clone)]
pub enum Answer {
    Status(u16),
    /// A redirect to this URL.
    Redirect(String),
    /// Never answers (holds the connection for a minute).
    Hang,
}

/// A delivery as a receiver saw it: lowercased headers and the body.
pub type Delivery = (Vec<(String, String)>, String);

/// A webhook receiver on 127.0.0.1, answering as `answer` says; returns its URL and what it
/// received.
pub fn receiver(answer: impl Fn(usize) -> Answer + Send + 'static) -> (String, std::sync::mpsc::Receiver<Delivery>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://127.0.0.1:{}/hook", listener.local_addr().expect("an address").port());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let Ok(clone) = stream.try_clone() else { continue };
            let mut reader = BufReader::new(clone);
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).ok();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.trim().split_once(':') {
                    headers.push((k.trim().to_lowercase(), v.trim().to_owned()));
                }
            }
            let length =
                headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).ok();
            let _ = tx.send((headers, String::from_utf8_lossy(&body).into_owned()));
            let reply = match answer(n) {
                Answer::Status(code) => {
                    format!("HTTP/1.1 {code} Answer\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                }
                Answer::Redirect(to) => {
                    format!("HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                }
                Answer::Hang => {
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_secs(60));
                        drop(stream);
                    });
                    continue;
                }
            };
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (url, rx)
}

/// The worker's local storage a test can read.
#[derive(Debug, Clone, Copy)]
pub enum Store {
    /// D1: sites, hashed tokens, pushed counts.
    Directory,
    /// Every site's own store (Durable Object).
    Sites,
    /// Knowledge-base index blobs (table `_mf_entries`, column `key`).
    Kv,
}

/// A fresh unique suffix for keys and site ids, so tests never collide.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("{prefix}-{}-{}", nanos, COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A valid request body with `subject`, sent as a person would (after a few seconds of typing).
pub fn ticket(subject: &str) -> Value {
    serde_json::json!({
        "subject": subject,
        "message": "The router blinks red since this morning.",
        "email": "anna@example.com",
        "fill_ms": 9000,
        "context": { "page_url": "https://shop.example/help", "locale": "en", "channel": "site" }
    })
}

impl Api {
    /// PUT a site's configuration as its agent.
    pub fn put_config(&self, site: &str, token: &str, config: &Value) -> Reply {
        let auth = format!("Bearer {token}");
        self.send(
            "PUT",
            &format!("/v1/admin/sites/{site}/config"),
            &config.to_string(),
            &[("Authorization", &auth), ("Content-Type", "application/json")],
        )
    }

    /// PUT a site's channel connections as its admin.
    pub fn put_channels(&self, site: &str, token: &str, channels: &Value) -> Reply {
        let auth = format!("Bearer {token}");
        self.send(
            "PUT",
            &format!("/v1/admin/sites/{site}/channels"),
            &channels.to_string(),
            &[("Authorization", &auth), ("Content-Type", "application/json")],
        )
    }

    /// The site's tickets as its agents list them (newest first, up to 200).
    pub fn tickets(&self, site: &str, token: &str) -> Vec<Value> {
        let reply = self.get_as(&format!("/v1/admin/sites/{site}/tickets?limit=200"), token);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["tickets"].as_array().expect("a list").clone()
    }
}
