//! The hardening guarantees (README, "Security"), each tried the way an attacker or a bad network
//! would: keys past their window, replays after the anti-abuse checks changed their mind,
//! floods of statistics, bodies without a length, webhooks aimed inside the network, slow
//! receivers, queue outages, racing publishes, storage faults and what is kept of a visitor.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tabdesk_core::token::hash_token;
use tabdesk_tests::{receiver, ticket, unique, Answer, Api, Store};

/// The site's whole config with `change` applied, saved.
fn configure(api: &Api, site: &str, token: &str, change: impl FnOnce(&mut Value)) {
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), token).json();
    change(&mut config);
    let saved = api.put_config(site, token, &config);
    assert_eq!(saved.status, 200, "{}", saved.body);
}

#[test]
fn a_key_past_its_window_is_free_again_and_expired_keys_are_purged() {
    let api = Api::from_env();
    let (site, token) = api.own_site("ttl");
    let key = unique("old");
    let first = api.create_ticket(&site, &ticket("Last year"), &key).json();
    // A day and an hour later (the record is aged as time would age it).
    let day = (25 * 3600 * 1000).to_string();
    let aged = api.alter_stored(
        &site,
        "UPDATE idempotency SET created_at = created_at - CAST(?1 AS INTEGER) WHERE site_id = ?2 AND key = ?3",
        &[&day, &site, &key],
    );
    assert_eq!(aged, 1);
    let again = api.create_ticket(&site, &ticket("This year"), &key);
    assert_eq!(again.status, 201, "not a 500: {}", again.body);
    assert_ne!(again.json()["id"], first["id"], "a new request");
    assert_eq!(api.tickets(&site, &token).len(), 2);

    let other = unique("old");
    assert_eq!(api.create_ticket(&site, &ticket("Purge me"), &other).status, 201);
    api.alter_stored(
        &site,
        "UPDATE idempotency SET created_at = created_at - CAST(?1 AS INTEGER) WHERE site_id = ?2 AND key = ?3",
        &[&day, &site, &other],
    );
    api.upkeep(&site);
    let left = api.stored(&site, "SELECT key FROM idempotency WHERE site_id = ?1 ORDER BY key", &[&site]);
    assert_eq!(left, [vec![Some(key)]], "the expired key is purged, the live one kept");
}

#[test]
fn a_replay_is_answered_before_the_anti_abuse_checks() {
    let api = Api::from_env();
    let (site, token) = api.own_site("replay");
    configure(&api, &site, &token, |c| {
        c["abuse"] =
            json!({ "min_fill_ms": 3000, "turnstile_site_key": "0x4AAA-site", "turnstile_secret": "0x4AAA-s" });
    });
    let key = unique("k");
    let mut t = ticket("Checked once");
    t["turnstile_token"] = json!("pass");
    let first = api.create_ticket(&site, &t, &key);
    assert_eq!(first.status, 201, "{}", first.body);
    // The retry carries a spent token, another fill time and another browser header.
    t["turnstile_token"] = json!("spent");
    t["fill_ms"] = json!(10);
    let path = format!("/v1/sites/{site}/tickets");
    let retry = api.send(
        "POST",
        &path,
        &t.to_string(),
        &[("Content-Type", "application/json"), ("Idempotency-Key", &key), ("User-Agent", "Another/2.0")],
    );
    assert_eq!(retry.status, 201, "{}", retry.body);
    assert_eq!(retry.json(), first.json(), "the first answer, token included");
    assert_eq!(api.tickets(&site, &token).len(), 1);
    // Another request under the same key is still refused.
    t["subject"] = json!("Something else");
    assert_eq!(api.create_ticket(&site, &t, &key).error_fields(), ["Idempotency-Key"]);
}

#[test]
fn the_fill_time_cannot_be_skipped() {
    let api = Api::from_env();
    let mut t = ticket("Instant");
    t.as_object_mut().unwrap().remove("fill_ms");
    let reply = api.create_ticket(&api.site, &t, &unique("k"));
    assert_eq!(reply.error_fields(), ["fill_ms"]);
}

#[test]
fn statistics_writes_are_rate_limited_and_reading_is_not() {
    let api = Api::from_env();
    let (site, token) = api.own_site("flood");
    let kb = json!({ "articles": [{ "id": "a", "locale": "en", "title": "A", "body_markdown": "Alpha." }] });
    let auth = format!("Bearer {token}");
    let published = api.send(
        "PUT",
        &format!("/v1/admin/sites/{site}/kb"),
        &kb.to_string(),
        &[("Authorization", &auth), ("Content-Type", "application/json")],
    );
    assert_eq!(published.status, 200, "{}", published.body);
    let feedback = format!("/v1/sites/{site}/kb/articles/a/feedback");
    let replies: Vec<_> = (0..80).map(|_| api.post_json(&feedback, &json!({ "helpful": true }), &[])).collect();
    let accepted = replies.iter().filter(|r| r.status == 202).count();
    assert!(replies[..50].iter().all(|r| r.status == 202), "the first votes pass");
    assert!(accepted < 80 && replies.iter().all(|r| r.status == 202 || r.status == 429), "a flood is cut");
    let limited = replies.last().unwrap();
    limited.problem(429);
    assert!(limited.header("retry-after").is_some());
    api.post_json(&format!("/v1/sites/{site}/events"), &json!({ "kind": "form_opened" }), &[]).problem(429);
    // The same address can still read articles; its views are just not counted.
    for _ in 0..5 {
        assert_eq!(api.get(&format!("/v1/sites/{site}/kb/articles/a"), &[]).status, 200);
    }
    let votes = "SELECT count(*) FROM events WHERE site_id = ?1 AND kind = 'kb.helpful'";
    let accepted = accepted.to_string();
    let counted = api.stored_eventually(&site, votes, &[&site], |r| r[0][0].as_deref() == Some(accepted.as_str()));
    assert_eq!(counted[0][0].as_deref(), Some(accepted.as_str()), "exactly the accepted votes are stored");
    let views = api.stored(&site, "SELECT count(*) FROM events WHERE site_id = ?1 AND kind = 'article_view'", &[&site]);
    assert_eq!(views[0][0].as_deref(), Some("0"));
}

#[test]
fn a_body_without_a_length_is_cut_off_at_the_limit() {
    let api = Api::from_env();
    let address = api.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /v1/sites/{}/tickets HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {}\r\nCF-Connecting-IP: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        api.site,
        unique("chunked"),
        api.ip
    );
    // The whole request goes out at once (the local proxy in front of workerd answers 503 for a
    // request whose body is still arriving when the worker has answered).
    let mut request = head;
    let chunk = format!("{{\"subject\": \"{}", "x".repeat(16 * 1024));
    let mut sent = 0;
    for part in std::iter::once(chunk).chain(std::iter::repeat_n("y".repeat(16 * 1024), 4)) {
        request.push_str(&format!("{:x}\r\n{part}\r\n", part.len()));
        sent += part.len();
    }
    request.push_str("0\r\n\r\n");
    let _ = stream.write_all(request.as_bytes());
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(sent > 64 * 1024, "more than the limit was offered");
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", answer.lines().next().unwrap_or(""));
}

#[test]
fn webhooks_go_only_to_public_https_hosts() {
    let api = Api::from_env();
    let (site, token) = api.own_site("ssrf");
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &token).json();
    for url in [
        "https://10.0.0.8/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:192.168.0.1]/",
        "https://2130706433/",
        "https://metadata.google.internal/",
        "http://hooks.example.com/plain-http",
    ] {
        config["webhook"] = json!({ "url": url, "secret": "a-webhook-secret-0123456789" });
        assert_eq!(api.put_config(&site, &token, &config).error_fields(), ["webhook.url"], "{url}");
    }
    config["webhook"] = json!({ "url": "https://hooks.example.com/tabdesk", "secret": "a-webhook-secret-0123456789" });
    assert_eq!(api.put_config(&site, &token, &config).status, 200);
}

#[test]
fn webhook_redirects_are_not_followed() {
    let api = Api::from_env();
    let (site, token) = api.own_site("redir");
    let (target, reached) = receiver(|_| Answer::Status(200));
    let (url, deliveries) = receiver(move |_| Answer::Redirect(target.clone()));
    configure(&api, &site, &token, |c| {
        c["abuse"] = json!({ "min_fill_ms": 0 });
        c["webhook"] = json!({ "url": url, "secret": "a-webhook-secret-0123456789" });
    });
    assert_eq!(api.create_ticket(&site, &ticket("Redirected"), &unique("k")).status, 201);
    deliveries.recv_timeout(Duration::from_secs(30)).expect("a delivery to the configured URL");
    assert!(reached.recv_timeout(Duration::from_secs(8)).is_err(), "the redirect is not followed");
}

#[test]
fn a_slow_receiver_does_not_hold_up_another_sites_webhooks() {
    let api = Api::from_env();
    let (slow_site, slow_token) = api.own_site("slow");
    let (fast_site, fast_token) = api.own_site("fast");
    let (slow_url, slow) = receiver(|n| if n == 0 { Answer::Hang } else { Answer::Status(200) });
    let (fast_url, fast) = receiver(|_| Answer::Status(200));
    for (site, token, url) in [(&slow_site, &slow_token, slow_url), (&fast_site, &fast_token, fast_url)] {
        configure(&api, site, token, |c| {
            c["abuse"] = json!({ "min_fill_ms": 0 });
            c["webhook"] = json!({ "url": url, "secret": "a-webhook-secret-0123456789" });
        });
    }
    // Filed together, the two events travel in one batch: the fast site's delivery does not
    // wait for the slow receiver (which never answers).
    let sent = Instant::now();
    assert_eq!(api.create_ticket(&slow_site, &ticket("Slow"), &unique("k")).status, 201);
    assert_eq!(api.create_ticket(&fast_site, &ticket("Fast"), &unique("k")).status, 201);
    fast.recv_timeout(Duration::from_secs(20)).expect("the fast receiver got its delivery");
    assert!(sent.elapsed() < Duration::from_secs(5), "took {:?}", sent.elapsed());
    slow.recv_timeout(Duration::from_secs(20)).expect("the slow receiver got its delivery too");
}

#[test]
fn an_event_the_queue_refused_is_queued_by_the_sweep() {
    let api = Api::from_env();
    let (site, token) = api.own_site("sweep");
    let (url, deliveries) = receiver(|_| Answer::Status(200));
    configure(&api, &site, &token, |c| {
        c["abuse"] = json!({ "min_fill_ms": 0 });
        c["webhook"] = json!({ "url": url, "secret": "a-webhook-secret-0123456789" });
    });
    let created = api.create_ticket(&site, &ticket("Queued late"), &unique("k")).json();
    deliveries.recv_timeout(Duration::from_secs(30)).expect("the normal delivery");
    // As if the queue had refused the job: a second event of the ticket still pending, older
    // than the sweep's grace minute.
    let id = created["id"].as_str().unwrap();
    let event = "01ZZZZZZZZZZZZZZZZZZZZZZZZ";
    api.alter_stored(
        &site,
        "INSERT INTO events (id, site_id, kind, ticket_id, created_at, webhook)
         VALUES (?1, ?2, 'ticket.updated', ?3, '2026-01-01T00:00:00.000Z', 'pending')",
        &[&format!("{}{}", &event[..10], &id[10..]), &site, id],
    );
    api.upkeep(&site);
    let (headers, _) = deliveries.recv_timeout(Duration::from_secs(30)).expect("the swept event is delivered");
    let kind = headers.iter().find(|(k, _)| k == "tabdesk-event").map(|(_, v)| v.as_str());
    assert_eq!(kind, Some("ticket.updated"));
    let pending = api.stored(&site, "SELECT count(*) FROM events WHERE site_id = ?1 AND webhook = 'pending'", &[&site]);
    assert_eq!(pending[0][0].as_deref(), Some("0"));
}

fn put_kb(api: &Api, site: &str, token: &str, body: &Value, if_match: Option<&str>) -> tabdesk_tests::Reply {
    let auth = format!("Bearer {token}");
    let mut headers = vec![("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    if let Some(version) = if_match {
        headers.push(("If-Match", version));
    }
    api.send("PUT", &format!("/v1/admin/sites/{site}/kb"), &body.to_string(), &headers)
}

#[test]
fn publishes_are_checked_serialized_and_leave_no_old_blobs() {
    let api = Api::from_env();
    let (site, token) = api.own_site("pub");
    let article = |title: &str| json!({ "id": "a", "locale": "en", "title": title, "body_markdown": "Text." });
    assert_eq!(put_kb(&api, &site, &token, &json!({ "articles": [] }), None).error_fields(), ["articles"]);
    let unknown = json!({ "articles": [article("A")], "replace": true });
    assert!(put_kb(&api, &site, &token, &unknown, None).problem(422)["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("replace"));
    let mut typo = article("A");
    typo["body"] = json!("misspelt field");
    put_kb(&api, &site, &token, &json!({ "articles": [typo] }), None).problem(422);

    let mut versions = Vec::new();
    for title in ["One", "Two", "Three"] {
        let reply =
            put_kb(&api, &site, &token, &json!({ "articles": [article(title)] }), versions.last().map(String::as_str));
        assert_eq!(reply.status, 200, "{}", reply.body);
        versions.push(reply.json()["version"].as_str().unwrap().to_owned());
    }
    // A client that read version One and publishes now would overwrite Two and Three.
    put_kb(&api, &site, &token, &json!({ "articles": [article("Stale")] }), Some(&versions[0])).problem(412);
    let blobs = api.stored_in(
        Store::Kv,
        "SELECT key FROM _mf_entries WHERE key LIKE ?1 ORDER BY key",
        &[&format!("kb:{site}:%")],
    );
    let mut want: Vec<Vec<Option<String>>> = [&versions[1], &versions[2]]
        .iter()
        .map(|v| vec![Some(format!("kb:{site}:{v}"))])
        .chain([vec![Some(format!("kb:{site}:current"))]])
        .collect();
    want.sort();
    assert_eq!(blobs, want, "the current version and the one before are kept, no older one");
    let emptied = put_kb(&api, &site, &token, &json!({ "articles": [], "allow_empty": true }), None);
    assert_eq!(emptied.status, 200, "emptying on purpose: {}", emptied.body);
}

#[test]
fn what_is_kept_of_a_visitor_is_minimal() {
    let api = Api::from_env();
    let (site, token) = api.own_site("priv");
    configure(&api, &site, &token, |c| c["privacy"] = json!({ "page_url_params": ["product"] }));
    let mut t = ticket("Private");
    t["context"]["page_url"] = json!("https://shop.example/p?token=s3cret&product=42#reset=abc");
    t["context"]["referrer"] = json!("https://mail.example/inbox?email=anna@example.com");
    let created = api.create_ticket(&site, &t, &unique("k")).json();
    let detail = api.get_as(&format!("/v1/admin/tickets/{}", created["id"].as_str().unwrap()), &token).json();
    assert_eq!(detail["context"]["page_url"], "https://shop.example/p?product=42");
    assert_eq!(detail["context"]["referrer"], "https://mail.example/inbox");

    // The customer's access token is nowhere in storage, only its hash.
    let access = created["access_token"].as_str().unwrap();
    let everything = api.stored(
        &site,
        "SELECT count(*) FROM tickets t JOIN idempotency i ON i.ticket_id = t.id
         WHERE t.id = ?1 AND instr(t.subject || t.message || t.context || t.access_token_hash || i.body_hash, ?2) > 0",
        &[created["id"].as_str().unwrap(), access],
    );
    assert_eq!(everything[0][0].as_deref(), Some("0"));
    let hashed =
        api.stored(&site, "SELECT access_token_hash FROM tickets WHERE id = ?1", &[created["id"].as_str().unwrap()]);
    assert_eq!(hashed[0][0].as_deref(), Some(hash_token(access).as_str()));
    let columns = api.stored(&site, "SELECT name FROM pragma_table_info('idempotency') WHERE name LIKE '%token%'", &[]);
    assert!(columns.is_empty(), "no token column in the key records: {columns:?}");
}

#[test]
fn only_the_widget_gets_its_relay_key() {
    let api = Api::from_env();
    let body = json!({ "id": "abcdefghijklmnopqrstuvwxyz012345" });
    let own = [("Origin", api.base.as_str())];
    let key = api.post_json("/v1/relay-key", &body, &own);
    assert_eq!(key.status, 200, "{}", key.body);
    let value = key.json()["key"].as_str().unwrap().to_owned();
    assert_eq!(value.len(), 43);
    assert_eq!(api.post_json("/v1/relay-key", &body, &own).json()["key"], value.as_str(), "stable per relay");
    let other = api.post_json("/v1/relay-key", &json!({ "id": "zyxwvutsrqponmlkjihgfedcba012345" }), &own);
    assert_ne!(other.json()["key"], value.as_str());
    assert!(key.header("access-control-allow-origin").is_none());
    api.post_json("/v1/relay-key", &body, &[("Origin", "http://127.0.0.1:3000")]).problem(403);
    api.post_json("/v1/relay-key", &body, &[]).problem(403);
    assert_eq!(api.post_json("/v1/relay-key", &json!({ "id": "short" }), &own).error_fields(), ["id"]);
}
