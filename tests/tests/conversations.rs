//! Threads: what a customer reads and writes with a ticket's access token, and what agents read
//! and write; internal notes never reach the customer, in the thread or in webhooks.

use std::time::Duration;

use serde_json::{json, Value};
use tabdesk_tests::{receiver, ticket, unique, Answer, Api, Reply};

fn as_customer(api: &Api, id: &str, token: &str) -> Reply {
    api.get(&format!("/v1/tickets/{id}"), &[("Authorization", &format!("Bearer {token}"))])
}

fn reply(api: &Api, id: &str, token: &str, body: &str, key: &str) -> Reply {
    api.post_json(
        &format!("/v1/tickets/{id}/messages"),
        &json!({ "body": body }),
        &[("Authorization", &format!("Bearer {token}")), ("Idempotency-Key", key)],
    )
}

fn agent_says(api: &Api, id: &str, token: &str, body: &str, visibility: &str) -> Reply {
    api.post_json(
        &format!("/v1/admin/tickets/{id}/messages"),
        &json!({ "body": body, "visibility": visibility }),
        &[("Authorization", &format!("Bearer {token}"))],
    )
}

/// The thread's messages by people (the site's automatic acknowledgement left out).
fn bodies(ticket: &Value) -> Vec<String> {
    let messages = ticket["messages"].as_array().unwrap().iter();
    messages.filter(|m| m["author"]["kind"] != "system").map(|m| m["body"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn customers_read_public_replies_and_never_internal_notes() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("thread");
    let (url, deliveries) = receiver(|_| Answer::Status(200));
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &admin).json();
    config["webhook"] = json!({ "url": url, "secret": "a-webhook-secret-0123456789" });
    config["abuse"] = json!({ "min_fill_ms": 0 });
    assert_eq!(api.put_config(&site, &admin, &config).status, 200);
    let created = api.create_ticket(&site, &ticket("Router blinks"), &unique("k")).json();
    let (id, token) = (created["id"].as_str().unwrap(), created["access_token"].as_str().unwrap());

    let first = as_customer(&api, id, token);
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    assert_eq!(bodies(&first), ["The router blinks red since this morning."], "the request is the first message");
    let acknowledged = &first["messages"][1];
    assert_eq!(acknowledged["author"]["kind"], "system", "{first}");
    assert!(acknowledged["body"].as_str().unwrap().contains("We usually answer within"), "{first}");
    assert_eq!(agent_says(&api, id, &admin, "Checked the line: <b>it is fine</b>", "internal").status, 201);
    let answer = agent_says(&api, id, &admin, "Please restart the router.", "public");
    assert_eq!(answer.status, 201, "{}", answer.body);
    let seen = as_customer(&api, id, token).json();
    assert_eq!(bodies(&seen), ["The router blinks red since this morning.", "Please restart the router."]);
    assert_eq!(seen["status"], "open", "an agent's public reply opens a new ticket");
    assert!(!seen.to_string().contains("it is fine"), "no internal note: {seen}");
    let agents = api.get_as(&format!("/v1/admin/tickets/{id}"), &admin).json();
    assert_eq!(bodies(&agents).len(), 3, "agents see the note too");
    assert_eq!(agents["messages"][2]["visibility"], "internal");
    // The public reply, not the earlier note (nor the acknowledgement), is the first response,
    // well within the target.
    let sla = &agents["sla"];
    assert_eq!(sla["first_response_at"], agents["messages"][3]["created_at"], "{sla}");
    assert_eq!(sla["first_response_at"], agents["first_response_at"], "{agents}");
    assert_eq!(sla["first_response_breached"], false);
    assert!(sla["first_response_due"].as_str().unwrap() > agents["created_at"].as_str().unwrap(), "{sla}");
    assert_eq!(sla["resolved_at"], Value::Null);

    // Webhooks carry public messages only: ticket.created, then message.created for the reply.
    let mut kinds = Vec::new();
    while let Ok((headers, body)) = deliveries.recv_timeout(Duration::from_secs(8)) {
        let kind = headers.iter().find(|(k, _)| k == "tabdesk-event").map(|(_, v)| v.clone()).unwrap_or_default();
        assert!(!body.contains("it is fine"), "an internal note in a webhook: {body}");
        if kind == "message.created" {
            let payload: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(payload["message"]["body"], "Please restart the router.");
        }
        kinds.push(kind);
    }
    kinds.sort();
    assert_eq!(kinds, ["message.created", "ticket.created"]);
}

#[test]
fn only_the_tickets_own_token_opens_it() {
    let api = Api::from_env();
    let (site, _) = api.own_site("tokens");
    let (other_site, _) = api.own_site("tokensx");
    let mine = api.create_ticket(&site, &ticket("Mine"), &unique("k")).json();
    let theirs = api.create_ticket(&site, &ticket("Theirs"), &unique("k")).json();
    let elsewhere = api.create_ticket(&other_site, &ticket("Elsewhere"), &unique("k")).json();
    let id = mine["id"].as_str().unwrap();
    let token = mine["access_token"].as_str().unwrap();
    assert_eq!(as_customer(&api, id, token).status, 200);
    as_customer(&api, id, theirs["access_token"].as_str().unwrap()).problem(404);
    as_customer(&api, id, elsewhere["access_token"].as_str().unwrap()).problem(404);
    as_customer(&api, id, &format!("{site}~{}", "0".repeat(64))).problem(404);
    as_customer(&api, id, "garbage").problem(404);
    api.get(&format!("/v1/tickets/{id}"), &[]).problem(404);
    as_customer(&api, "01ARZ3NDEKTSV4RRFFQ69G5FAV", token).problem(404);
    reply(&api, id, theirs["access_token"].as_str().unwrap(), "Let me in", &unique("k")).problem(404);
    // The same answer twice is a 304 the second time.
    let etag = as_customer(&api, id, token).header("etag").unwrap().to_owned();
    let auth = format!("Bearer {token}");
    let again = api.get(&format!("/v1/tickets/{id}"), &[("Authorization", &auth), ("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
}

#[test]
fn a_customer_reply_is_stored_once_and_reopens_a_solved_ticket() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("reopen");
    let created = api.create_ticket(&site, &ticket("Solved too soon"), &unique("k")).json();
    let (id, token) = (created["id"].as_str().unwrap(), created["access_token"].as_str().unwrap());
    let solved = api.send(
        "PATCH",
        &format!("/v1/admin/tickets/{id}"),
        r#"{"status": "solved"}"#,
        &[("Authorization", &format!("Bearer {admin}")), ("Content-Type", "application/json")],
    );
    assert_eq!(solved.status, 200);
    let key = unique("reply");
    let first = reply(&api, id, token, "It broke again.", &key);
    assert_eq!(first.status, 201, "{}", first.body);
    let retry = reply(&api, id, token, "It broke again.", &key);
    assert_eq!(retry.json(), first.json(), "a retry gets the first answer");
    assert_eq!(reply(&api, id, token, "Something else", &key).error_fields(), ["Idempotency-Key"]);
    let seen = as_customer(&api, id, token).json();
    assert_eq!(seen["status"], "open");
    assert_eq!(bodies(&seen), ["The router blinks red since this morning.", "It broke again."], "stored once");
    assert_eq!(reply(&api, id, token, "   ", &unique("k")).error_fields(), ["body"]);
    let no_key = api.post_json(
        &format!("/v1/tickets/{id}/messages"),
        &json!({ "body": "No key" }),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    no_key.problem(400);
    // A customer cannot write an internal note.
    let sneaky = api.post_json(
        &format!("/v1/tickets/{id}/messages"),
        &json!({ "body": "Note to self", "visibility": "internal" }),
        &[("Authorization", &format!("Bearer {token}")), ("Idempotency-Key", &unique("k"))],
    );
    assert_eq!(sneaky.json()["visibility"], "public");
}

#[test]
fn a_browser_fetches_its_requests_at_a_glance() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("glance");
    let a = api.create_ticket(&site, &ticket("First"), &unique("k")).json();
    let b = api.create_ticket(&site, &ticket("Second"), &unique("k")).json();
    let answered = agent_says(&api, b["id"].as_str().unwrap(), &admin, "Here is the answer.", "public").json();
    agent_says(&api, a["id"].as_str().unwrap(), &admin, "Only a note.", "internal");
    let refs = |t: &Value| json!({ "id": t["id"], "access_token": t["access_token"] });
    let forged = json!({ "id": a["id"], "access_token": b["access_token"] });
    let reply = api.post_json("/v1/tickets/summaries", &json!({ "tickets": [refs(&a), refs(&b), forged] }), &[]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let summaries = reply.json()["tickets"].as_array().unwrap().clone();
    assert_eq!(summaries.len(), 2, "the forged pair is left out: {summaries:?}");
    assert_eq!(summaries[0]["subject"], "First");
    assert_eq!(summaries[0]["last_reply_id"], Value::Null, "a note is not a reply");
    assert_eq!(summaries[1]["last_reply_id"], answered["id"]);
    let too_many: Vec<Value> = (0..51).map(|_| refs(&a)).collect();
    assert_eq!(
        api.post_json("/v1/tickets/summaries", &json!({ "tickets": too_many }), &[]).error_fields(),
        ["tickets"]
    );
}

#[test]
fn a_message_key_used_on_another_ticket_is_another_request() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("keys");
    let a = api.create_ticket(&site, &ticket("A"), &unique("k")).json();
    let b = api.create_ticket(&site, &ticket("B"), &unique("k")).json();
    let key = unique("note");
    let send = |id: &Value| {
        api.post_json(
            &format!("/v1/admin/tickets/{}/messages", id.as_str().unwrap()),
            &json!({ "body": "Same words", "visibility": "internal" }),
            &[("Authorization", &format!("Bearer {admin}")), ("Idempotency-Key", &key)],
        )
    };
    assert_eq!(send(&a["id"]).status, 201);
    assert_eq!(send(&a["id"]).status, 201, "a retry");
    assert_eq!(send(&b["id"]).error_fields(), ["Idempotency-Key"], "not a 5xx");
    let thread = api.get_as(&format!("/v1/admin/tickets/{}", a["id"].as_str().unwrap()), &admin).json();
    assert_eq!(bodies(&thread).len(), 2, "the note once");
}
