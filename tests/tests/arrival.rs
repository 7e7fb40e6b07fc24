//! What happens the moment a request arrives: routing rules assign it, the customer is told at
//! once when to expect an answer, and a sales lead gets the site's offer and a `lead.created`
//! webhook for the CRM.

use std::time::Duration;

use serde_json::{json, Value};
use tabdesk_tests::{receiver, ticket, unique, Answer, Api};

fn thread(api: &Api, created: &Value) -> Vec<Value> {
    let (id, token) = (created["id"].as_str().unwrap(), created["access_token"].as_str().unwrap());
    let reply = api.get(&format!("/v1/tickets/{id}"), &[("Authorization", &format!("Bearer {token}"))]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["messages"].as_array().unwrap().clone()
}

#[test]
fn routing_assigns_and_a_lead_hears_the_offer_at_once() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("arrival");
    let (url, deliveries) = receiver(|_| Answer::Status(200));
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &admin).json();
    config["locales"] = json!(["en", "ru"]);
    config["webhook"] = json!({ "url": url, "secret": "a-webhook-secret-0123456789" });
    config["sla"]["normal"] = json!(240);
    config["routing"] = json!([
        { "sales_lead": true, "assign": "Sales desk" },
        { "locale": "ru", "assign": "Olga" },
    ]);
    config["auto_reply"]["lead_offer"] = json!({ "en": "Our sales team will call you within the hour." });
    assert_eq!(api.put_config(&site, &admin, &config).status, 200);

    let lead = json!({
        "subject": "Office plan",
        "message": "How much does the 500 Mbit tariff cost for an office?",
        "email": "buyer@example.com",
        "fill_ms": 9000,
        "context": { "locale": "en" }
    });
    let lead = api.create_ticket(&site, &lead, &unique("k")).json();
    let russian = json!({
        "subject": "Нет интернета",
        "message": "С утра не работает интернет, роутер мигает красным.",
        "email": "anna@example.com",
        "fill_ms": 9000,
        "context": { "locale": "ru" }
    });
    let russian = api.create_ticket(&site, &russian, &unique("k")).json();
    let plain = api.create_ticket(&site, &ticket("Router blinks"), &unique("k")).json();

    let queue = api.tickets(&site, &admin);
    let assignee = |created: &Value| {
        let found = queue.iter().find(|t| t["id"] == created["id"]).expect("in the queue");
        found["assignee"].clone()
    };
    assert_eq!(assignee(&lead), "Sales desk");
    assert_eq!(assignee(&russian), "Olga");
    assert_eq!(assignee(&plain), Value::Null, "no rule matched");

    // The request, then the acknowledgement with the expected time, then (for the lead) the offer.
    let messages = thread(&api, &lead);
    let said: Vec<(&str, &str)> =
        messages.iter().map(|m| (m["author"]["kind"].as_str().unwrap(), m["body"].as_str().unwrap())).collect();
    assert_eq!(said.len(), 3, "{said:?}");
    assert_eq!(said[0], ("customer", "How much does the 500 Mbit tariff cost for an office?"));
    assert_eq!(said[2], ("system", "Our sales team will call you within the hour."));
    assert_eq!(said[1].0, "system");
    assert!(said[1].1.contains("We usually answer within"), "{}", said[1].1);
    assert_eq!(messages[1]["author"]["name"], format!("Site {site}"));
    let acknowledgement = thread(&api, &russian)[1]["body"].as_str().unwrap().to_owned();
    assert!(acknowledgement.starts_with("Спасибо, мы получили ваше обращение."), "{acknowledgement}");
    assert_eq!(thread(&api, &plain).len(), 2, "an acknowledgement, no offer");

    // The acknowledgement is not a first response: the ticket still waits for an agent.
    let detail = api.get_as(&format!("/v1/admin/tickets/{}", lead["id"].as_str().unwrap()), &admin).json();
    assert_eq!(detail["sla"]["first_response_at"], Value::Null, "{detail}");

    let mut kinds = Vec::new();
    while let Ok((headers, body)) = deliveries.recv_timeout(Duration::from_secs(8)) {
        let kind = headers.iter().find(|(k, _)| k == "tabdesk-event").map(|(_, v)| v.clone()).unwrap_or_default();
        if kind == "lead.created" {
            let payload: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(payload["ticket"]["email"], "buyer@example.com", "{payload}");
        }
        kinds.push(kind);
    }
    kinds.sort();
    assert_eq!(kinds, ["lead.created", "ticket.created", "ticket.created", "ticket.created"]);
}

#[test]
fn a_site_can_word_its_acknowledgement_or_turn_it_off() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("ack");
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &admin).json();
    config["auto_reply"]["acknowledgement"] = json!({ "en": "Hi {name}, expect us within {reply_time}." });
    config["sla"]["normal"] = json!(90);
    assert_eq!(api.put_config(&site, &admin, &config).status, 200);
    let mut request = ticket("Named");
    request["name"] = json!("Anna");
    let created = api.create_ticket(&site, &request, &unique("k")).json();
    assert_eq!(thread(&api, &created)[1]["body"], "Hi Anna, expect us within 2 hours.");

    config["auto_reply"] = json!({ "acknowledge": false, "acknowledgement": { "en": "  " } });
    assert_eq!(api.put_config(&site, &admin, &config).error_fields(), ["auto_reply.acknowledgement.en"]);
    config["auto_reply"] = json!({ "acknowledge": false });
    config["routing"] = json!([{ "category": "nope", "assign": "" }]);
    assert_eq!(api.put_config(&site, &admin, &config).error_fields(), ["routing[0].assign", "routing[0].category"]);
    config["routing"] = json!([]);
    assert_eq!(api.put_config(&site, &admin, &config).status, 200);
    let quiet = api.create_ticket(&site, &ticket("Quiet"), &unique("k")).json();
    assert_eq!(thread(&api, &quiet).len(), 1, "only the request");
}
