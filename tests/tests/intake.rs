//! Structured intake against the real worker: site config and form schema, triage, abuse
//! controls and webhooks.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use tabdesk_core::webhook::verify;
use tabdesk_tests::{receiver, ticket, unique, Answer, Api};

/// A fresh site of our own, with its admin token.
fn config_with_form() -> Value {
    json!({
        "name": "Shop",
        "locales": ["en", "ru"],
        "default_locale": "en",
        "allowed_origins": ["https://shop.example"],
        "abuse": { "min_fill_ms": 2000 },
        "form": {
            "category_required": true,
            "categories": [{
                "id": "billing",
                "label": { "en": "Billing", "ru": "Оплата" },
                "fields": [
                    { "id": "contract", "kind": "text", "label": { "en": "Contract" }, "required": true, "pattern": "NP-999999" },
                    { "id": "reason", "kind": "select", "label": { "en": "Reason" },
                      "options": [{ "value": "refund", "label": { "en": "Refund" } }, { "value": "other", "label": { "en": "Other" } }] },
                    { "id": "details", "kind": "textarea", "label": { "en": "Details" }, "required": true,
                      "show_if": { "field": "reason", "equals": "other" } }
                ]
            }]
        }
    })
}

#[test]
fn agents_set_the_config_and_the_form_is_enforced() {
    let api = Api::from_env();
    let (site, token) = api.own_site("cfg");
    let (_, other_token) = api.own_site("cfgx");

    api.put_config(&site, &other_token, &config_with_form()).problem(404);
    let unauthenticated =
        api.send("PUT", &format!("/v1/admin/sites/{site}/config"), "{}", &[("Content-Type", "application/json")]);
    unauthenticated.problem(401);
    let mut bad = config_with_form();
    bad["theme"] = json!({ "accent": "blue" });
    bad["form"]["categories"][0]["fields"][2]["show_if"]["field"] = json!("nope");
    let fields = api.put_config(&site, &token, &bad).error_fields();
    assert_eq!(fields, ["theme.accent", "form.categories[0].fields[2].show_if.field"]);
    let unknown = api.put_config(&site, &token, &json!({ "name": "x", "colour": "red" })).problem(422);
    assert!(unknown["errors"][0]["message"].as_str().unwrap().contains("colour"), "{unknown}");
    let saved = api.put_config(&site, &token, &config_with_form());
    assert_eq!(saved.status, 200, "{}", saved.body);
    let admin_view = api.get_as(&format!("/v1/admin/sites/{site}/config"), &token).json();
    assert_eq!(admin_view["abuse"]["min_fill_ms"], 2000);
    let public = api.get(&format!("/v1/sites/{site}/config"), &[]).json();
    assert_eq!(public["form"]["categories"][0]["fields"][1]["options"][0]["value"], "refund");
    assert_eq!(public["min_fill_ms"], 2000);

    let mut t = ticket("Charged twice");
    assert_eq!(api.create_ticket(&site, &t, &unique("k")).error_fields(), ["category"]);
    t["category"] = json!("billing");
    t["fields"] = json!({ "contract": "12345", "reason": "other" });
    assert_eq!(api.create_ticket(&site, &t, &unique("k")).error_fields(), ["fields.contract", "fields.details"]);
    t["fields"] = json!({ "contract": "NP-123456", "reason": "refund", "details": "hidden, dropped" });
    let created = api.create_ticket(&site, &t, &unique("k"));
    assert_eq!(created.status, 201, "{}", created.body);
    let stored = api.tickets(&site, &token).into_iter().find(|s| s["id"] == created.json()["id"]).unwrap();
    assert_eq!(stored["category"], "billing");
    assert_eq!(stored["topic"], "billing");
    assert_eq!(stored["fields"], json!({ "contract": "NP-123456", "reason": "refund" }));
    assert!(stored["context"]["user_agent"].as_str().is_some_and(|ua| !ua.is_empty()));

    t["fill_ms"] = json!(300);
    assert_eq!(api.create_ticket(&site, &t, &unique("k")).error_fields(), ["fill_ms"]);
}

#[test]
fn tickets_are_triaged_with_reasons() {
    let api = Api::from_env();
    let mut t = ticket("Интернет не работает");
    t["message"] = json!("Со вчерашнего вечера нет интернета, это ужасно. Срочно почините!");
    t["context"]["locale"] = json!("ru");
    let created = api.create_ticket(&api.site, &t, &unique("k")).json();
    let stored = api.tickets(&api.site, &api.admin_token).into_iter().find(|s| s["id"] == created["id"]).unwrap();
    assert_eq!(stored["priority"], "urgent", "{stored}");
    assert_eq!(stored["needs_response"], true);
    let triage = &stored["triage"];
    assert_eq!(triage["language"]["value"], "ru");
    assert_eq!(triage["urgent"]["value"], true);
    assert_eq!(triage["sentiment"]["value"], "negative");
    assert!(triage["urgent"]["rule"].as_str().unwrap().contains("urgency word"), "{triage}");

    let mut lead = ticket("Office connection");
    lead["message"] = json!("How much does a 1 Gbit plan cost for an office of 20 people?");
    let lead_id = api.create_ticket(&api.site, &lead, &unique("k")).json()["id"].clone();
    let path = format!("/v1/admin/sites/{}/tickets", api.site);
    let leads = api.get_as(&format!("{path}?priority=normal&q=1%20Gbit"), &api.admin_token).json();
    let found = leads["tickets"].as_array().unwrap().iter().find(|t| t["id"] == lead_id).expect("found by q");
    assert_eq!(found["sales_lead"], true);
    assert_eq!(found["triage"]["intent"]["value"], "purchase");
    let urgent = api.get_as(&format!("{path}?priority=urgent&needs_response=true"), &api.admin_token).json();
    assert!(urgent["tickets"].as_array().unwrap().iter().all(|t| t["priority"] == "urgent"));
    assert_eq!(api.get_as(&format!("{path}?priority=asap"), &api.admin_token).error_fields(), ["priority"]);
    assert_eq!(
        api.get_as(&format!("{path}?needs_response=maybe"), &api.admin_token).error_fields(),
        ["needs_response"]
    );
}

#[test]
fn honeypot_catches_are_kept_as_spam_out_of_the_queue() {
    let api = Api::from_env();
    let (site, token) = api.own_site("hp");
    let mut t = ticket("Cheap pills");
    t["hp"] = json!("https://spam.example");
    t["email"] = json!("not an email");
    let reply = api.create_ticket(&site, &t, &unique("k"));
    assert_eq!(reply.status, 201, "a bot is told nothing: {}", reply.body);
    let number = reply.json()["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with(&site.to_uppercase()));
    assert!(api.tickets(&site, &token).is_empty(), "spam stays out of the queue");
    let spam = api.get_as(&format!("/v1/admin/sites/{site}/tickets?spam=true"), &token).json();
    let caught: Vec<&str> = spam["tickets"].as_array().unwrap().iter().map(|t| t["number"].as_str().unwrap()).collect();
    assert_eq!(caught, [number.as_str()], "and is kept, for agents who look");
    assert_eq!(spam["tickets"][0]["subject"], "Cheap pills");
}

#[test]
fn foreign_origins_are_refused() {
    let api = Api::from_env();
    let path = format!("/v1/sites/{}/tickets", api.site);
    let body = ticket("From a foreign page").to_string();
    let send = |origin: &str| {
        api.send(
            "POST",
            &path,
            &body,
            &[("Content-Type", "application/json"), ("Idempotency-Key", &unique("k")), ("Origin", origin)],
        )
    };
    send("https://evil.example").problem(403);
    assert_eq!(send("http://localhost:3000").status, 201);
    assert_eq!(send(&api.base).status, 201, "the worker's own origin (the widget)");
}

#[test]
fn a_burst_from_one_address_is_limited_and_every_201_is_stored_once() {
    let api = std::sync::Arc::new(Api::from_env());
    let (site, token) = api.own_site("burst");
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let (api, site) = (api.clone(), site.clone());
            std::thread::spawn(move || {
                (0..50)
                    .map(|i| {
                        let r = api.create_ticket(&site, &ticket(&format!("Burst {w}-{i}")), &unique("burst"));
                        let id = (r.status == 201).then(|| r.json()["id"].as_str().unwrap().to_owned());
                        (r.status, r.header("retry-after").map(str::to_owned), id)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let replies: Vec<_> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    assert_eq!(replies.len(), 200);
    let mut created: Vec<String> = replies.iter().filter_map(|(_, _, id)| id.clone()).collect();
    let limited = replies.iter().filter(|(s, _, _)| *s == 429).count();
    assert!(replies.iter().all(|(s, _, _)| *s == 201 || *s == 429), "only 201 or 429");
    assert!(limited > 0, "a burst of 200 is limited");
    assert!(
        replies.iter().filter(|(s, _, _)| *s == 429).all(|(_, retry, _)| retry.is_some()),
        "429 says when to retry"
    );
    let mut stored: Vec<String> =
        api.tickets(&site, &token).iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    created.sort();
    stored.sort();
    assert_eq!(stored, created, "every 201 is stored, exactly once, and nothing else");
    // Another address still gets through.
    let other = Api::from_env();
    assert_eq!(other.create_ticket(&site, &ticket("From elsewhere"), &unique("k")).status, 201);
}

#[test]
fn webhooks_are_signed_retried_and_deduplicated() {
    let api = Api::from_env();
    let (site, token) = api.own_site("hook");
    let (url, deliveries) = receiver(|n| if n == 0 { Answer::Status(500) } else { Answer::Status(200) });
    let secret = "a-webhook-secret-0123456789";
    let mut config = config_with_form();
    config["form"] = json!({});
    config["abuse"] = json!({ "min_fill_ms": 0 });
    config["webhook"] = json!({ "url": url, "secret": secret });
    assert_eq!(api.put_config(&site, &token, &config).status, 200);
    assert!(!api.get(&format!("/v1/sites/{site}/config"), &[]).body.contains(secret));

    let created = api.create_ticket(&site, &ticket("Hook me"), &unique("k")).json();
    let wait = Duration::from_secs(30);
    let (first_headers, first_body) = deliveries.recv_timeout(wait).expect("a first delivery");
    let (headers, body) = deliveries.recv_timeout(wait).expect("a retry after the 500");
    let header = |h: &[(String, String)], name: &str| h.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(
        header(&first_headers, "tabdesk-event-id"),
        header(&headers, "tabdesk-event-id"),
        "same event id on retry"
    );
    assert_eq!(first_body, body, "a retry sends the same body");
    assert_eq!(header(&headers, "tabdesk-event").as_deref(), Some("ticket.created"));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let signature = header(&headers, "tabdesk-signature").expect("signed");
    assert!(verify(secret, &signature, &body, now, 300), "the signature verifies");
    assert!(!verify("another-secret-000000", &signature, &body, now, 300));
    let payload: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(payload["type"], "ticket.created");
    assert_eq!(payload["ticket"]["id"], created["id"]);
    assert_eq!(payload["ticket"]["number"], created["number"]);
    // Delivered once it succeeded: no third delivery of this event.
    assert!(deliveries.recv_timeout(Duration::from_secs(3)).is_err(), "no duplicate after success");

    // An agent's change is a ticket.updated event.
    let id = created["id"].as_str().unwrap();
    let auth = format!("Bearer {token}");
    let patch = |body: &str| {
        api.send(
            "PATCH",
            &format!("/v1/admin/tickets/{id}"),
            body,
            &[("Authorization", &auth), ("Content-Type", "application/json")],
        )
    };
    let updated = patch(r#"{"status": "solved", "tags": ["router"], "assignee": "olga"}"#);
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.json()["status"], "solved");
    let (headers, body) = deliveries.recv_timeout(wait).expect("a ticket.updated delivery");
    assert_eq!(header(&headers, "tabdesk-event").as_deref(), Some("ticket.updated"));
    let payload: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(payload["ticket"]["status"], "solved");
    assert_eq!(payload["ticket"]["tags"], json!(["router"]));
    assert_eq!(payload["ticket"]["assignee"], "olga");
}

#[test]
fn agents_read_and_change_only_their_tickets() {
    let api = Api::from_env();
    let (site, token) = api.own_site("agent");
    let (_, other_token) = api.own_site("agentx");
    let created = api.create_ticket(&site, &ticket("Change me"), &unique("k")).json();
    let path = format!("/v1/admin/tickets/{}", created["id"].as_str().unwrap());
    let json_ct = ("Content-Type", "application/json");
    let auth = |t: &str| format!("Bearer {t}");

    api.get(&path, &[]).problem(401);
    api.get_as(&path, &other_token).problem(404);
    api.get_as("/v1/admin/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV", &token).problem(404);
    api.get_as("/v1/admin/tickets/not-an-id", &token).problem(404);
    let detail = api.get_as(&path, &token).json();
    assert_eq!(detail["number"], created["number"]);
    assert_eq!(detail["tags"], json!([]));

    api.send("PATCH", &path, r#"{"status":"solved"}"#, &[("Authorization", &auth(&other_token)), json_ct]).problem(404);
    let t = auth(&token);
    assert_eq!(api.send("PATCH", &path, "{}", &[("Authorization", &t), json_ct]).error_fields(), [""]);
    assert_eq!(
        api.send("PATCH", &path, r#"{"status":"lost"}"#, &[("Authorization", &t), json_ct]).error_fields(),
        ["status"]
    );
    api.send("PATCH", &path, "{", &[("Authorization", &t), json_ct]).problem(400);
    let changed =
        api.send("PATCH", &path, r#"{"priority":"urgent","assignee":"ivan"}"#, &[("Authorization", &t), json_ct]);
    assert_eq!(changed.status, 200, "{}", changed.body);
    let unassigned = api.send("PATCH", &path, r#"{"assignee":null}"#, &[("Authorization", &t), json_ct]).json();
    assert_eq!(unassigned["priority"], "urgent");
    assert_eq!(unassigned["assignee"], Value::Null);
    assert!(unassigned["updated_at"].as_str().unwrap() > created["created_at"].as_str().unwrap());
}

#[test]
fn turnstile_fails_closed() {
    let api = Api::from_env();
    let (site, token) = api.own_site("bots");
    let mut config = config_with_form();
    config["form"] = json!({});
    config["abuse"] =
        json!({ "min_fill_ms": 0, "turnstile_site_key": "0x4AAA-site", "turnstile_secret": "0x4AAA-secret" });
    assert_eq!(api.put_config(&site, &token, &config).status, 200);
    let public = api.get(&format!("/v1/sites/{site}/config"), &[]);
    assert_eq!(public.json()["turnstile_site_key"], "0x4AAA-site");
    assert!(!public.body.contains("0x4AAA-secret"));

    let mut t = ticket("Checked by Turnstile");
    api.create_ticket(&site, &t, &unique("k")).problem(403);
    for refused in ["wrong", "down"] {
        t["turnstile_token"] = json!(refused);
        api.create_ticket(&site, &t, &unique("k")).problem(403);
    }
    t["turnstile_token"] = json!("pass");
    assert_eq!(api.create_ticket(&site, &t, &unique("k")).status, 201);
    assert_eq!(api.tickets(&site, &token).len(), 1, "only the verified request is stored");
}
