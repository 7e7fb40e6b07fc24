//! Storage per site: each site's data in its own store (a SQLite Durable Object), the directory
//! (D1) holding only sites and the counts their stores push for the operator.

use serde_json::json;
use tabdesk_core::schema;
use tabdesk_tests::{ticket, unique, Api, Store};

#[test]
fn each_site_keeps_its_data_in_a_store_of_its_own() {
    let api = Api::from_env();
    let (a, _) = api.own_site("own-a");
    let (b, _) = api.own_site("own-b");
    let ta = api.create_ticket(&a, &ticket("Site A"), &unique("k")).json();
    let tb = api.create_ticket(&b, &ticket("Site B"), &unique("k")).json();
    assert_eq!(
        (ta["number"].as_str(), tb["number"].as_str()),
        (Some(&*format!("{}-1001", a.to_uppercase())), Some(&*format!("{}-1001", b.to_uppercase()))),
        "numbers count per site"
    );
    let stores = api.stored_by_store("SELECT DISTINCT site_id FROM tickets", &[]);
    assert!(stores.iter().all(|sites| sites.len() <= 1), "no store holds two sites: {stores:?}");
    let holding = |site: &str| stores.iter().position(|sites| sites.iter().any(|s| s[0].as_deref() == Some(site)));
    assert!(holding(&a).is_some() && holding(&b).is_some() && holding(&a) != holding(&b));
    let directory = api.stored_in(
        Store::Directory,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('tickets', 'events', 'idempotency')",
        &[],
    );
    assert!(directory.is_empty(), "the directory holds no site's data: {directory:?}");
    let versions: Vec<_> = api.stored_by_store(schema::VERSION, &[]).into_iter().flatten().collect();
    let latest = schema::latest().to_string();
    assert!(!versions.is_empty() && versions.iter().all(|v| v[0].as_deref() == Some(latest.as_str())), "{versions:?}");
}

#[test]
fn the_operator_sees_the_counts_each_store_pushes() {
    let api = Api::from_env();
    let (site, token) = api.own_site("counts");
    for i in 0..2 {
        assert_eq!(api.create_ticket(&site, &ticket(&format!("Count {i}")), &unique("k")).status, 201);
    }
    let mut spam = ticket("Spam");
    spam["hp"] = json!("x");
    assert_eq!(api.create_ticket(&site, &spam, &unique("k")).status, 201);
    let first = api.tickets(&site, &token)[0]["id"].as_str().unwrap().to_owned();
    let solved = api.send(
        "PATCH",
        &format!("/v1/admin/tickets/{first}"),
        r#"{"status": "solved"}"#,
        &[("Authorization", &format!("Bearer {token}")), ("Content-Type", "application/json")],
    );
    assert_eq!(solved.status, 200, "{}", solved.body);
    api.upkeep(&site);
    let operator = format!("Bearer {}", api.operator_token);
    let sites = api.get("/v1/operator/sites", &[("Authorization", &operator)]).json();
    let mine = sites.as_array().unwrap().iter().find(|s| s["id"] == site.as_str()).expect("the site is listed").clone();
    assert_eq!(
        (mine["tickets"].as_i64(), mine["open_tickets"].as_i64(), mine["spam"].as_i64()),
        (Some(2), Some(1), Some(1)),
        "{mine}"
    );
    api.get("/v1/operator/sites", &[("Authorization", &format!("Bearer {token}"))]).problem(401);
    api.send("POST", "/v1/operator/sites/no-such-site/upkeep", "", &[("Authorization", &operator)]).problem(404);
}
