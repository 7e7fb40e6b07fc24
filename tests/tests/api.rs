//! The HTTP API against the real worker on local workerd with real local D1.

use serde_json::{json, Value};
use tabdesk_tests::{ticket, unique, Api};

#[test]
fn healthz_answers() {
    let api = Api::from_env();
    let reply = api.get("/healthz", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["status"], "ok");
}

#[test]
fn unknown_paths_and_methods_are_problems() {
    let api = Api::from_env();
    api.get("/v1/nothing-here", &[]).problem(404);
    let p = api.get("/v1/sites/demo/tickets", &[]).problem(405);
    assert_eq!(p["title"], "Method not allowed");
}

#[test]
fn public_config_of_a_site() {
    let api = Api::from_env();
    let config = api.get(&format!("/v1/sites/{}/config", api.site), &[]).json();
    assert_eq!(config["site"], api.site);
    assert_eq!(config["name"], "NetPlus");
    assert_eq!(config["locales"], json!(["ru", "en"]));
    assert_eq!(config["default_locale"], "ru");
    assert_eq!(config["launcher_label"]["ru"], "Поддержка");
    assert_eq!(config["form"]["categories"][0]["id"], "connection");
    assert_eq!(config["form"]["categories"][0]["fields"][0]["pattern"], "NP-999999");
    for secret in ["admin_token_hash", "allowed_origins", "webhook", "triage", "sla", "abuse"] {
        assert!(config.get(secret).is_none(), "{secret} is not public");
    }
    api.get("/v1/sites/no-such-site/config", &[]).problem(404);
    api.get("/v1/sites/..%2F..%2Fetc/config", &[]).problem(404);
}

/// The highlighted words of a hit, read through its char ranges.
fn highlighted(hit: &Value) -> Vec<String> {
    let chars: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (s, e) = (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
            chars[s..e].iter().collect::<String>().to_lowercase()
        })
        .collect()
}

#[test]
fn search_finds_articles_in_the_asked_language() {
    let api = Api::from_env();
    let reply =
        api.get(&format!("/v1/sites/{}/kb/search?q=%D0%A0%D0%BE%D1%83%D1%82%D0%B5%D1%80&locale=ru", api.site), &[]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let results = reply.json();
    let hits = results["hits"].as_array().unwrap();
    assert!(hits.len() <= 10, "the default page is 10 hits: {results}");
    assert!(!hits.is_empty(), "{results}");
    assert!(results["total"].as_u64().unwrap() >= hits.len() as u64);
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"wifi-router-setup"), "{ids:?}");
    for hit in hits {
        let words = highlighted(hit);
        assert!(!words.is_empty() && words.iter().all(|w| w.starts_with("роутер")), "{words:?}");
    }

    // English, with a prefix as typed so far; and an unknown language falls back to the default.
    let en = api.get(&format!("/v1/sites/{}/kb/search?q=pay&locale=en", api.site), &[]).json();
    assert_eq!(en["hits"][0]["id"], "payment-methods", "{en}");
    let fallback =
        api.get(&format!("/v1/sites/{}/kb/search?q=%D1%82%D0%B0%D1%80%D0%B8%D1%84&locale=de", api.site), &[]).json();
    assert_eq!(fallback["hits"][0]["id"], "change-tariff", "{fallback}");
    let nothing = api.get(&format!("/v1/sites/{}/kb/search?q=zzzzqqq", api.site), &[]).json();
    assert_eq!(nothing["total"], 0);
}

#[test]
fn search_rejects_bad_parameters() {
    let api = Api::from_env();
    let fields = api.get(&format!("/v1/sites/{}/kb/search?q=a&limit=0", api.site), &[]).error_fields();
    assert_eq!(fields, ["limit"]);
    let long = "a".repeat(201);
    let fields = api.get(&format!("/v1/sites/{}/kb/search?q={long}", api.site), &[]).error_fields();
    assert_eq!(fields, ["q"]);
    api.get("/v1/sites/nope/kb/search?q=router", &[]).problem(404);
}

#[test]
fn a_ticket_is_stored_and_listed_for_agents() {
    let api = Api::from_env();
    let subject = unique("Router blinks red");
    let reply = api.create_ticket(&api.site, &ticket(&subject), &unique("key"));
    assert_eq!(reply.status, 201, "{}", reply.body);
    let created = reply.json();
    let number = created["number"].as_str().unwrap();
    assert!(number.starts_with("DEMO-") && number[5..].parse::<u32>().unwrap() >= 1001, "{number}");
    assert_eq!(created["status"], "new");
    let token = created["access_token"].as_str().unwrap();
    assert!(token.starts_with("demo~") && token.len() == "demo~".len() + 64, "{token}");

    let list = api.get_as(&format!("/v1/admin/sites/{}/tickets", api.site), &api.admin_token);
    assert_eq!(list.status, 200, "{}", list.body);
    let tickets = list.json()["tickets"].as_array().unwrap().clone();
    let stored = tickets.iter().find(|t| t["id"] == created["id"]).expect("the new ticket is listed");
    assert_eq!(stored["subject"], subject.as_str());
    assert_eq!(stored["number"], number);
    assert_eq!(stored["email"], "anna@example.com");
    assert_eq!(stored["context"]["page_url"], "https://shop.example/help");
    assert!(stored.get("access_token").is_none());
}

#[test]
fn a_replayed_key_returns_the_first_answer_and_stores_once() {
    let api = Api::from_env();
    let key = unique("replay");
    let subject = unique("Replay");
    let first = api.create_ticket(&api.site, &ticket(&subject), &key);
    assert_eq!(first.status, 201, "{}", first.body);
    let again = api.create_ticket(&api.site, &ticket(&subject), &key);
    assert_eq!(again.status, 201);
    assert_eq!(again.json(), first.json());

    let mut other = ticket(&subject);
    other["message"] = json!("A different request under the same key.");
    let fields = api.create_ticket(&api.site, &other, &key).error_fields();
    assert_eq!(fields, ["Idempotency-Key"]);

    let list = api.get_as(&format!("/v1/admin/sites/{}/tickets?limit=200", api.site), &api.admin_token).json();
    let copies = list["tickets"].as_array().unwrap().iter().filter(|t| t["subject"] == subject.as_str()).count();
    assert_eq!(copies, 1);
}

#[test]
fn concurrent_submissions_get_distinct_numbers_and_one_ticket_per_key() {
    let api = std::sync::Arc::new(Api::from_env());
    let shared_key = unique("race");
    let subject = unique("Concurrent");
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let api = api.clone();
            let (key, subject) = if i % 2 == 0 {
                (shared_key.clone(), subject.clone())
            } else {
                (unique("distinct"), unique("Distinct"))
            };
            std::thread::spawn(move || api.create_ticket(&api.site, &ticket(&subject), &key))
        })
        .collect();
    let replies: Vec<Value> = handles
        .into_iter()
        .map(|h| {
            let r = h.join().unwrap();
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()
        })
        .collect();
    let shared: Vec<&Value> = replies.iter().step_by(2).collect();
    assert!(shared.iter().all(|r| *r == shared[0]), "one answer per key");
    let mut numbers: Vec<&str> = replies.iter().skip(1).step_by(2).map(|r| r["number"].as_str().unwrap()).collect();
    numbers.push(shared[0]["number"].as_str().unwrap());
    let count = numbers.len();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), count, "numbers never collide");

    let list = api.get_as(&format!("/v1/admin/sites/{}/tickets?limit=200", api.site), &api.admin_token).json();
    let copies = list["tickets"].as_array().unwrap().iter().filter(|t| t["subject"] == subject.as_str()).count();
    assert_eq!(copies, 1, "the shared key stored exactly one ticket");
}

#[test]
fn bad_ticket_bodies_are_clear_4xx() {
    let api = Api::from_env();
    let path = format!("/v1/sites/{}/tickets", api.site);
    let key = ("Idempotency-Key", "bad-body-key");
    let json_ct = ("Content-Type", "application/json");

    let p = api.send("POST", &path, "{\"subject\": ", &[json_ct, key]).problem(400);
    assert_eq!(p["title"], "Malformed JSON");
    assert_eq!(
        api.send("POST", &path, "{}", &[json_ct, key]).error_fields(),
        ["subject", "message", "email", "fill_ms"]
    );
    assert_eq!(api.send("POST", &path, "{\"subject\": 5}", &[json_ct, key]).error_fields(), ["subject"]);
    api.send("POST", &path, "subject=hi", &[("Content-Type", "application/x-www-form-urlencoded"), key]).problem(415);
    api.send("POST", &path, &"x".repeat(2 * 1024 * 1024), &[json_ct, key]).problem(413);
    api.post_json(&path, &ticket("No key"), &[]).problem(400);
    api.create_ticket("no-such-site", &ticket("Lost"), &unique("key")).problem(404);

    let mut bad = ticket("Bad email");
    bad["email"] = json!("anna@");
    bad["context"]["page_url"] = json!("javascript:alert(1)");
    assert_eq!(api.create_ticket(&api.site, &bad, &unique("key")).error_fields(), ["email", "context.page_url"]);
}

#[test]
fn field_errors_speak_the_customers_language() {
    let api = Api::from_env();
    let body = json!({ "context": { "locale": "ru" } });
    let p = api.create_ticket(&api.site, &body, &unique("key")).problem(422);
    assert_eq!(p["errors"][0]["message"], "Заполните это поле.");
    let p = api.create_ticket(&api.site, &json!({}), &unique("key")).problem(422);
    // No page locale: the site's default language (Russian) unless the browser asks otherwise.
    assert_eq!(p["errors"][0]["message"], "Заполните это поле.");
    let reply = api.post_json(
        &format!("/v1/sites/{}/tickets", api.site),
        &json!({}),
        &[("Idempotency-Key", &unique("key")), ("Accept-Language", "en-GB,en;q=0.8")],
    );
    assert_eq!(reply.problem(422)["errors"][0]["message"], "Please fill in this field.");
}

#[test]
fn agents_see_only_their_own_site() {
    let api = Api::from_env();
    let other = unique("b").replace('_', "-").chars().take(30).collect::<String>();
    let other_token = api.create_site(&other);
    let mine = format!("/v1/admin/sites/{}/tickets", api.site);
    let theirs = format!("/v1/admin/sites/{other}/tickets");

    api.get(&mine, &[]).problem(401);
    api.get(&mine, &[("Authorization", "Basic abc")]).problem(401);
    api.get_as(&mine, "not-a-token").problem(404);
    api.get_as(&mine, &other_token).problem(404);
    api.get_as(&theirs, &api.admin_token).problem(404);
    api.get_as("/v1/admin/sites/no-such-site/tickets", &api.admin_token).problem(404);

    let created = api.create_ticket(&other, &ticket("Only theirs"), &unique("key")).json();
    let list = api.get_as(&theirs, &other_token).json();
    let ids: Vec<&Value> = list["tickets"].as_array().unwrap().iter().map(|t| &t["id"]).collect();
    assert_eq!(ids, [&created["id"]]);
    assert!(created["number"].as_str().unwrap().starts_with(&format!("{}-", other.to_uppercase())));
    let mine_list = api.get_as(&format!("{mine}?limit=200"), &api.admin_token).json();
    assert!(mine_list["tickets"].as_array().unwrap().iter().all(|t| t["id"] != created["id"]));
}

#[test]
fn the_queue_pages_and_filters() {
    let api = Api::from_env();
    for i in 0..3 {
        let r = api.create_ticket(&api.site, &ticket(&unique(&format!("Page {i}"))), &unique("key"));
        assert_eq!(r.status, 201);
    }
    let path = format!("/v1/admin/sites/{}/tickets", api.site);
    let first = api.get_as(&format!("{path}?limit=2"), &api.admin_token).json();
    assert_eq!(first["tickets"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("more pages");
    let second = api.get_as(&format!("{path}?limit=2&cursor={cursor}"), &api.admin_token).json();
    let a = first["tickets"][1]["id"].as_str().unwrap();
    let b = second["tickets"][0]["id"].as_str().unwrap();
    assert!(b < a, "pages continue in order");
    let new_only = api.get_as(&format!("{path}?status=new"), &api.admin_token).json();
    assert!(new_only["tickets"].as_array().unwrap().iter().all(|t| t["status"] == "new"));
    assert_eq!(api.get_as(&format!("{path}?status=lost"), &api.admin_token).error_fields(), ["status"]);
    assert_eq!(api.get_as(&format!("{path}?cursor=zzz"), &api.admin_token).error_fields(), ["cursor"]);
    assert_eq!(api.get_as(&format!("{path}?limit=x"), &api.admin_token).error_fields(), ["limit"]);
}

#[test]
fn operators_create_sites() {
    let api = Api::from_env();
    let id = unique("op").chars().take(30).collect::<String>();
    let auth = format!("Bearer {}", api.operator_token);
    let body = json!({ "id": id, "name": "Shop", "allowed_origins": ["https://shop.example"], "locales": ["ru"] });

    api.post_json("/v1/operator/sites", &body, &[]).problem(401);
    api.post_json("/v1/operator/sites", &body, &[("Authorization", "Bearer wrong")]).problem(401);
    api.post_json("/v1/operator/sites", &body, &[("Authorization", &api.admin_token)]).problem(401);
    let created = api.post_json("/v1/operator/sites", &body, &[("Authorization", &auth)]);
    assert_eq!(created.status, 201, "{}", created.body);
    let token = created.json()["admin_token"].as_str().unwrap().to_owned();
    assert_eq!(api.get_as(&format!("/v1/admin/sites/{id}/tickets"), &token).status, 200);
    assert_eq!(api.get(&format!("/v1/sites/{id}/config"), &[]).json()["default_locale"], "ru");
    api.post_json("/v1/operator/sites", &body, &[("Authorization", &auth)]).problem(409);

    let bad = json!({ "id": "X", "name": "", "allowed_origins": ["shop.example"] });
    let fields = api.post_json("/v1/operator/sites", &bad, &[("Authorization", &auth)]).error_fields();
    assert_eq!(fields, ["id", "name", "allowed_origins[0]"]);
    let p = api
        .send("POST", "/v1/operator/sites", "[", &[("Authorization", &auth), ("Content-Type", "application/json")])
        .problem(400);
    assert_eq!(p["title"], "Malformed JSON");
}

#[test]
fn the_embed_page_is_framed_only_by_the_sites_origins() {
    let api = Api::from_env();
    let reply = api.get(&format!("/embed?site={}&locale=en&origin=http%3A%2F%2F127.0.0.1%3A5555", api.site), &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "text/html");
    let csp = reply.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("frame-ancestors http://localhost:* http://127.0.0.1:*"), "{csp}");
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(reply.body.contains("<html lang=\"en\">"));
    assert!(reply.body.contains("\"parent_origin\":\"http://127.0.0.1:5555\""), "{}", reply.body);

    let foreign = api.get(&format!("/embed?site={}&origin=https%3A%2F%2Fevil.example", api.site), &[]);
    assert!(foreign.body.contains("\"parent_origin\":null"));
    assert!(foreign.body.contains("<html lang=\"ru\">"), "the site's default language");

    let unknown = api.get("/embed?site=no-such-site&locale=ru", &[]);
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("Поддержка недоступна"), "{}", unknown.body);
    let missing = api.get("/embed", &[("Accept-Language", "en-US")]);
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Support is not available"));
}

#[test]
fn the_loader_and_widget_are_served() {
    let api = Api::from_env();
    let loader = api.get("/tabdesk.js", &[]);
    assert_eq!(loader.status, 200);
    assert!(loader.body.contains("tabdesk:close"));
    assert_eq!(api.get("/widget/tabdesk_widget_bg.wasm", &[]).status, 200);
    assert_eq!(api.get("/demo/", &[]).status, 200);
}
