//! Statistics: a seeded scenario — requests filed, answered and solved through the API, their
//! times then set to a known day in the store — gives exactly the expected figures.

use serde_json::{json, Value};
use tabdesk_tests::{ticket, unique, Api};

fn patch(api: &Api, id: &str, token: &str, body: Value) {
    let auth = format!("Bearer {token}");
    let reply = api.send(
        "PATCH",
        &format!("/v1/admin/tickets/{id}"),
        &body.to_string(),
        &[("Authorization", &auth), ("Content-Type", "application/json")],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

fn answer(api: &Api, id: &str, token: &str) {
    let reply = api.post_json(
        &format!("/v1/admin/tickets/{id}/messages"),
        &json!({ "body": "Restart it, please.", "visibility": "public" }),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
}

#[test]
fn a_seeded_scenario_gives_exactly_the_expected_statistics() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("stats");
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &admin).json();
    config["sla"]["normal"] = json!(60);
    config["sla"]["resolution"]["normal"] = json!(240);
    assert_eq!(api.put_config(&site, &admin, &config).status, 200);
    let kb = json!({ "articles": [
        { "id": "router", "locale": "en", "title": "Router", "body_markdown": "Restart the router.", "tags": [] }
    ] });
    let published = api.send(
        "PUT",
        &format!("/v1/admin/sites/{site}/kb"),
        &kb.to_string(),
        &[("Authorization", &format!("Bearer {admin}")), ("Content-Type", "application/json")],
    );
    assert_eq!(published.status, 200, "{}", published.body);

    let mut searched = ticket("After a search");
    searched["searches"] = json!(["router red", "refund"]);
    let mut lead = ticket("Office plan");
    lead["message"] = json!("How much does the 500 Mbit tariff cost for an office?");
    lead["context"]["channel"] = json!("vk");
    let requests = [searched, ticket("Two"), ticket("Three"), ticket("Four"), lead];
    let ids: Vec<String> = requests
        .iter()
        .map(|r| api.create_ticket(&site, r, &unique("k")).json()["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &ids[..3] {
        answer(&api, id, &admin);
    }
    for id in &ids[..2] {
        patch(&api, id, &admin, json!({ "status": "solved" }));
    }
    // The store kept the facts as they happened.
    let facts = |id: &str| {
        api.stored(&site, "SELECT first_response_at, solved_at, searches FROM ticket_facts WHERE ticket_id = ?1", &[id])
            .pop()
            .unwrap_or_else(|| panic!("facts of {id}"))
    };
    assert!(facts(&ids[0]).iter().all(Option::is_some), "answered and solved: {:?}", facts(&ids[0]));
    assert_eq!(facts(&ids[0])[2].as_deref(), Some(r#"["router red","refund"]"#));
    assert!(facts(&ids[2])[0].is_some() && facts(&ids[2])[1].is_none(), "answered, open");
    assert!(facts(&ids[3])[0].is_none(), "unanswered");

    // The known day: normal priority, an hour to answer, four to resolve.
    let times = [
        ("2026-11-02T09:00:00.000Z", Some("2026-11-02T09:10:00.000Z"), Some("2026-11-02T11:00:00.000Z")),
        ("2026-11-02T10:00:00.000Z", Some("2026-11-02T10:30:00.000Z"), Some("2026-11-02T15:00:00.000Z")),
        ("2026-11-03T08:00:00.000Z", Some("2026-11-03T09:30:00.000Z"), None),
        ("2026-11-03T09:00:00.000Z", None, None),
        ("2026-11-03T10:00:00.000Z", None, None),
    ];
    for (id, (created, first, solved)) in ids.iter().zip(times) {
        api.alter_stored(
            &site,
            "UPDATE tickets SET created_at = ?1, priority = 'normal' WHERE id = ?2",
            &[created, id],
        );
        let (first, solved) = (first.unwrap_or("NULL"), solved.unwrap_or("NULL"));
        api.alter_stored(
            &site,
            "UPDATE ticket_facts SET first_response_at = nullif(?1, 'NULL'), solved_at = nullif(?2, 'NULL')
             WHERE ticket_id = ?3",
            &[first, solved, id],
        );
    }

    let events = format!("/v1/sites/{site}/events");
    for (query, results) in [("router", 1), ("refund", 0), ("рассрочка", 0)] {
        let search = json!({ "kind": "search", "query": query, "results": results });
        assert_eq!(api.post_json(&events, &search, &[]).status, 202);
    }
    assert_eq!(api.post_json(&events, &json!({ "kind": "form_opened" }), &[]).status, 202);
    assert_eq!(api.get(&format!("/v1/sites/{site}/kb/articles/router"), &[]).status, 200);
    let feedback = format!("/v1/sites/{site}/kb/articles/router/feedback");
    assert_eq!(api.post_json(&feedback, &json!({ "helpful": true }), &[]).status, 202);
    let recorded = api.stored_eventually(&site, "SELECT id FROM events WHERE ticket_id IS NULL", &[], |r| r.len() >= 6);
    assert_eq!(recorded.len(), 6);
    api.alter_stored(&site, "UPDATE events SET created_at = '2026-11-02T12:00:00.000Z' WHERE ticket_id IS NULL", &[]);

    let reply = api.get_as(&format!("/v1/admin/sites/{site}/stats?from=2026-11-02&to=2026-11-03"), &admin);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let stats = reply.json();
    assert_eq!(
        (stats["from"].as_str(), stats["to"].as_str()),
        (Some("2026-11-02T00:00:00.000Z"), Some("2026-11-04T00:00:00.000Z"))
    );
    assert_eq!(stats["tickets"], 5);
    assert_eq!(stats["per_day"], json!([{ "day": "2026-11-02", "tickets": 2 }, { "day": "2026-11-03", "tickets": 3 }]));
    assert_eq!(stats["by_channel"], json!({ "site": 4, "vk": 1 }));
    assert_eq!(stats["by_priority"], json!({ "normal": 5 }));
    assert_eq!(stats["by_language"], json!({ "en": 5 }));
    assert_eq!(stats["answered"], 3);
    assert_eq!(stats["first_response_median_s"], 1800);
    assert_eq!(stats["first_response_p90_s"], 5400);
    assert_eq!((stats["resolved"].clone(), stats["resolution_median_s"].clone()), (json!(2), json!(7200)));
    // Late first responses: the 90-minute one and the two never answered. Late resolutions: the
    // five-hour one and the three still open weeks later.
    assert_eq!(stats["first_response_breaches"], 3);
    assert_eq!(stats["resolution_breaches"], 4);
    assert_eq!(stats["sla_breach_rate"], 0.8);
    assert_eq!((stats["backlog"].clone(), stats["leads"].clone()), (json!(3), json!(1)));
    assert_eq!(
        stats["deflection"],
        json!({
            "searches": 3, "searches_without_results": 2, "article_views": 1, "helpful": 1, "unhelpful": 0,
            "forms_opened": 1, "tickets_after_search": 1,
            "searches_without_results_top": [{ "query": "refund", "count": 1 }, { "query": "рассрочка", "count": 1 }]
        })
    );

    // Another day has none of it; a bad range is a clear 422; another site's token sees nothing.
    let empty = api.get_as(&format!("/v1/admin/sites/{site}/stats?from=2026-11-05&to=2026-11-05"), &admin).json();
    assert_eq!((empty["tickets"].clone(), empty["first_response_median_s"].clone()), (json!(0), Value::Null));
    let bad = api.get_as(&format!("/v1/admin/sites/{site}/stats?from=tuesday"), &admin);
    assert_eq!(bad.error_fields(), ["from"]);
    let (_, other) = api.own_site("statsx");
    api.get_as(&format!("/v1/admin/sites/{site}/stats"), &other).problem(404);
    api.get(&format!("/v1/admin/sites/{site}/stats"), &[]).problem(401);
}
