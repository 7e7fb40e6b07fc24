//! Agents with tokens of their own: what each role may do, who did what, revocation, and
//! changes by two agents at once.

use serde_json::{json, Value};
use tabdesk_tests::{ticket, unique, Api, Reply};

fn invite(api: &Api, site: &str, token: &str, name: &str, role: &str) -> Reply {
    api.post_json(
        &format!("/v1/admin/sites/{site}/agents"),
        &json!({ "name": name, "email": format!("{}@shop.example", name.to_lowercase()), "role": role }),
        &[("Authorization", &format!("Bearer {token}"))],
    )
}

fn patch(api: &Api, id: &str, token: &str, body: &Value) -> Reply {
    api.send(
        "PATCH",
        &format!("/v1/admin/tickets/{id}"),
        &body.to_string(),
        &[("Authorization", &format!("Bearer {token}")), ("Content-Type", "application/json")],
    )
}

#[test]
fn agents_work_the_queue_and_only_admins_change_the_site() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("team");
    let (other_site, other_admin) = api.own_site("teamx");
    let olga = invite(&api, &site, &admin, "Olga", "agent");
    assert_eq!(olga.status, 201, "{}", olga.body);
    let olga = olga.json();
    let olga_token = olga["token"].as_str().unwrap().to_owned();
    assert_eq!(olga["role"], "agent");
    let listed = api.get_as(&format!("/v1/admin/sites/{site}/agents"), &admin).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0].get("token").is_none(), "the token is shown once");

    let created = api.create_ticket(&site, &ticket("For the team"), &unique("k")).json();
    let id = created["id"].as_str().unwrap();
    assert_eq!(api.tickets(&site, &olga_token).len(), 1, "an agent works the queue");
    let reply = api.post_json(
        &format!("/v1/admin/tickets/{id}/messages"),
        &json!({ "body": "On it.", "visibility": "public" }),
        &[("Authorization", &format!("Bearer {olga_token}"))],
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.json()["author"]["name"], "Olga");
    assert_eq!(reply.json()["author"]["agent_id"], olga["id"]);
    assert_eq!(patch(&api, id, &olga_token, &json!({ "assignee": "Olga" })).status, 200);
    let by = api.stored(&site, "SELECT data FROM events WHERE kind = 'ticket.updated'", &[]);
    assert!(
        by[0][0].as_deref().unwrap_or("").contains(olga["id"].as_str().unwrap()),
        "the change names the agent: {by:?}"
    );

    // What only admins may do.
    api.get_as(&format!("/v1/admin/sites/{site}/config"), &olga_token).problem(403);
    invite(&api, &site, &olga_token, "Mallory", "admin").problem(403);
    let kb = json!({ "articles": [{ "id": "a", "locale": "en", "title": "A", "body_markdown": "x" }] });
    let publish = api.send(
        "PUT",
        &format!("/v1/admin/sites/{site}/kb"),
        &kb.to_string(),
        &[("Authorization", &format!("Bearer {olga_token}")), ("Content-Type", "application/json")],
    );
    publish.problem(403);

    // Another site's agent, and a revoked one, find nothing.
    let stranger = invite(&api, &other_site, &other_admin, "Ivan", "admin").json();
    let stranger_token = stranger["token"].as_str().unwrap();
    api.get_as(&format!("/v1/admin/sites/{site}/tickets"), stranger_token).problem(404);
    api.get_as(&format!("/v1/admin/tickets/{id}"), stranger_token).problem(404);
    let revoked = api.send(
        "DELETE",
        &format!("/v1/admin/sites/{site}/agents/{}", olga["id"].as_str().unwrap()),
        "",
        &[("Authorization", &format!("Bearer {admin}"))],
    );
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    api.get_as(&format!("/v1/admin/sites/{site}/tickets"), &olga_token).problem(404);
    api.get_as(&format!("/v1/admin/tickets/{id}"), &olga_token).problem(404);
    assert_eq!(invite(&api, &site, &admin, "  ", "agent").error_fields(), ["name", "email"]);
}

#[test]
fn two_agents_changing_different_fields_at_once_both_win() {
    let api = std::sync::Arc::new(Api::from_env());
    let (site, admin) = api.own_site("race");
    for round in 0..5 {
        let created = api.create_ticket(&site, &ticket(&format!("Race {round}")), &unique("k")).json();
        let id = created["id"].as_str().unwrap().to_owned();
        let changes = [json!({ "status": "pending" }), json!({ "tags": ["vip"] }), json!({ "priority": "urgent" })];
        let threads: Vec<_> = changes
            .into_iter()
            .map(|change| {
                let (api, id, admin) = (api.clone(), id.clone(), admin.clone());
                std::thread::spawn(move || patch(&api, &id, &admin, &change).status)
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), 200);
        }
        let after = api.get_as(&format!("/v1/admin/tickets/{id}"), &admin).json();
        assert_eq!(
            (after["status"].as_str(), after["priority"].as_str()),
            (Some("pending"), Some("urgent")),
            "{after}"
        );
        assert_eq!(after["tags"], json!(["vip"]));
    }
}

#[test]
fn the_queue_filters_by_channel_language_assignee_and_text_in_any_case() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("filters");
    let mut ru = ticket("Роутер мигает красным");
    ru["context"]["locale"] = json!("ru");
    ru["context"]["channel"] = json!("vk");
    let ru = api.create_ticket(&site, &ru, &unique("k")).json();
    let en = api.create_ticket(&site, &ticket("Bill is wrong"), &unique("k")).json();
    assert_eq!(patch(&api, en["id"].as_str().unwrap(), &admin, &json!({ "assignee": "olga" })).status, 200);
    let ids = |query: &str| -> Vec<String> {
        let page = api.get_as(&format!("/v1/admin/sites/{site}/tickets?{query}"), &admin);
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        page.json()["tickets"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
    };
    let (ru_id, en_id) = (ru["id"].as_str().unwrap().to_owned(), en["id"].as_str().unwrap().to_owned());
    assert_eq!(ids("q=%D0%A0%D0%9E%D0%A3%D0%A2%D0%81%D0%A0"), [ru_id.as_str()], "«РОУТЁР» finds «Роутер»");
    assert_eq!(ids("channel=vk"), [ru_id.as_str()]);
    // The site speaks English only, so both requests are in English.
    assert_eq!(ids("locale=en").len(), 2);
    assert!(ids("locale=ru").is_empty());
    assert_eq!(ids("assignee=olga"), [en_id.as_str()]);
    assert_eq!(ids("assignee=none"), [ru_id.as_str()]);
    assert_eq!(api.get_as(&format!("/v1/admin/sites/{site}/tickets?locale=de"), &admin).error_fields(), ["locale"]);
}

#[test]
fn the_console_learns_who_signed_in_and_its_views_count_what_they_list() {
    let api = Api::from_env();
    let (site, admin) = api.own_site("views");
    let me = api.get_as("/v1/admin/me", &admin).json();
    assert_eq!((me["site"].as_str(), me["role"].as_str()), (Some(site.as_str()), Some("admin")), "{me}");
    assert_eq!(me["name"], Value::Null);
    let olga = invite(&api, &site, &admin, "Olga", "agent").json();
    let olga_token = olga["token"].as_str().unwrap().to_owned();
    let me = api.get_as("/v1/admin/me", &olga_token).json();
    assert_eq!((me["role"].as_str(), me["name"].as_str()), (Some("agent"), Some("Olga")), "{me}");
    assert_eq!(me["agent_id"], olga["id"]);
    api.get_as("/v1/admin/me", "not-a-token").problem(404);
    api.get("/v1/admin/me", &[]).problem(401);

    let ids: Vec<String> = (0..4)
        .map(|i| {
            let created = api.create_ticket(&site, &ticket(&format!("View {i}")), &unique("k")).json();
            created["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(patch(&api, &ids[0], &admin, &json!({ "assignee": "Olga" })).status, 200);
    assert_eq!(patch(&api, &ids[1], &admin, &json!({ "status": "solved" })).status, 200);
    // A new priority moves the due time: urgent is an hour from the request.
    let due = |id: &str| api.stored(&site, "SELECT first_response_due FROM ticket_facts WHERE ticket_id = ?1", &[id]);
    let before = due(&ids[2]);
    assert_eq!(patch(&api, &ids[2], &admin, &json!({ "priority": "urgent" })).status, 200);
    let after = due(&ids[2]);
    assert_ne!(before, after);
    let created: i64 = api.stored(&site, "SELECT created_at FROM tickets WHERE id = ?1", &[&ids[2]])[0][0]
        .as_deref()
        .map(|at| {
            let d = api.stored(&site, "SELECT CAST(unixepoch(?1, 'subsec') * 1000 AS INTEGER)", &[at]);
            d[0][0].as_deref().unwrap().parse().unwrap()
        })
        .unwrap();
    assert_eq!(after[0][0].as_deref(), Some((created + 3_600_000).to_string().as_str()));
    // One request is past its first-response time.
    api.alter_stored(&site, "UPDATE ticket_facts SET first_response_due = 1000 WHERE ticket_id = ?1", &[&ids[3]]);

    let counts = api.get_as(&format!("/v1/admin/sites/{site}/counts"), &olga_token).json();
    let expected = json!({
        "new": 3, "mine": 1, "unassigned": 2, "needs_response": counts["needs_response"], "breached": 1,
        "sales_leads": 0, "solved": 1
    });
    assert_eq!(counts, expected);
    // Each view lists exactly what it counts (the views as core's `ticket::View` defines them).
    let views = [
        ("new", "status=new"),
        ("mine", "status=unsolved&assignee=Olga"),
        ("unassigned", "status=unsolved&assignee=none"),
        ("needs_response", "status=unsolved&needs_response=true"),
        ("breached", "status=unsolved&breached=true"),
        ("sales_leads", "status=unsolved&sales_lead=true"),
        ("solved", "status=solved"),
    ];
    for (view, query) in views {
        let page = api.get_as(&format!("/v1/admin/sites/{site}/tickets?{query}"), &olga_token).json();
        assert_eq!(page["tickets"].as_array().unwrap().len() as u64, counts[view].as_u64().unwrap(), "{view}");
    }
    let breached = api.get_as(&format!("/v1/admin/sites/{site}/tickets?breached=true"), &olga_token).json();
    assert_eq!(breached["tickets"][0]["id"], ids[3].as_str());
    let admins = api.get_as(&format!("/v1/admin/sites/{site}/counts"), &admin).json();
    assert_eq!(admins["mine"], 0, "the admin token is nobody's name");
}
