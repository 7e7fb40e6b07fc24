//! The knowledge base against the real worker: publishing (sanitized), search in Russian and
//! English with inflections, typos and prefixes, articles, feedback and events.

use serde_json::{json, Value};
use tabdesk_tests::{unique, Api, Reply};

fn own_site(api: &Api, locales: &[&str]) -> (String, String) {
    let id = unique("kb").chars().take(30).collect::<String>();
    let auth = format!("Bearer {}", api.operator_token);
    let body = json!({ "id": id, "name": "KB", "allowed_origins": ["https://shop.example"], "locales": locales });
    let reply = api.post_json("/v1/operator/sites", &body, &[("Authorization", &auth)]);
    assert_eq!(reply.status, 201, "{}", reply.body);
    (id, reply.json()["admin_token"].as_str().unwrap().to_owned())
}

fn publish(api: &Api, site: &str, token: &str, articles: Value) -> Reply {
    let auth = format!("Bearer {token}");
    api.send(
        "PUT",
        &format!("/v1/admin/sites/{site}/kb"),
        &json!({ "articles": articles }).to_string(),
        &[("Authorization", &auth), ("Content-Type", "application/json")],
    )
}

fn corpus() -> Value {
    json!([
        { "id": "tariffs", "locale": "ru", "title": "Тарифы", "body_markdown": "Сравнение домашних тарифов по скорости и цене.", "tags": ["цены"] },
        { "id": "router", "locale": "ru", "title": "Настройка роутера", "body_markdown": "Откройте настройки роутера и задайте пароль сети Wi-Fi.", "tags": ["wi-fi"] },
        { "id": "connect", "locale": "ru", "title": "Подключение нового дома", "body_markdown": "Оставьте заявку, и мы проверим техническую возможность.", "tags": [] },
        { "id": "pay", "locale": "ru", "title": "Оплата картой", "body_markdown": "Платёж зачисляется сразу после оплаты.", "tags": [] },
        { "id": "router", "locale": "en", "title": "Setting up your router", "body_markdown": "Open the router settings and choose a **Wi-Fi** password.", "tags": ["wifi"] },
        { "id": "payments", "locale": "en", "title": "Payments", "body_markdown": "Pay by card, by autopayment or in cash.", "tags": ["billing"] },
        { "id": "moving", "locale": "en", "title": "Moving house", "body_markdown": "Tell us your new address five days before you move.", "tags": [] }
    ])
}

fn top(api: &Api, site: &str, query: &str, locale: &str) -> Vec<String> {
    let q: String = query.bytes().map(|b| format!("%{b:02X}")).collect();
    let reply = api.get(&format!("/v1/sites/{site}/kb/search?q={q}&locale={locale}"), &[]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let r = reply.json();
    let hits = r["hits"].as_array().unwrap();
    assert!(r["total"].as_u64().unwrap() >= hits.len() as u64, "{r}");
    for hit in hits {
        // Each hit links to its article (in the language asked for, if one was), and
        // highlights stay inside the snippet.
        let url = hit["url"].as_str().unwrap();
        let article = format!("/v1/sites/{site}/kb/articles/{}?locale=", hit["id"].as_str().unwrap());
        assert!(url.starts_with(&article) && url.ends_with(locale), "{url}");
        let chars = hit["snippet"].as_str().unwrap().chars().count() as u64;
        for range in hit["highlights"].as_array().unwrap() {
            assert!(range[0].as_u64() < range[1].as_u64() && range[1].as_u64().unwrap() <= chars, "{hit}");
        }
    }
    r["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn search_forgives_inflections_typos_prefixes_and_yo() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["ru", "en"]);
    let published = publish(&api, &site, &token, corpus());
    assert_eq!(published.status, 200, "{}", published.body);
    assert_eq!(published.json()["articles"], 7);

    assert_eq!(top(&api, &site, "тарифов", "ru")[0], "tariffs", "«тарифов» finds «Тарифы»");
    assert_eq!(top(&api, &site, "раутер", "ru")[0], "router", "«раутер» finds «роутер»");
    assert_eq!(top(&api, &site, "подкл", "ru")[0], "connect", "«подкл» finds «Подключение»");
    assert_eq!(top(&api, &site, "платеж", "ru")[0], "pay", "е finds ё");
    assert_eq!(top(&api, &site, "routers", "en")[0], "router");
    assert_eq!(top(&api, &site, "ruoter", "en")[0], "router", "a transposed typo");
    assert_eq!(top(&api, &site, "paym", "en")[0], "payments", "a prefix while typing");
    // No locale given: the query's script decides.
    assert_eq!(top(&api, &site, "роутер", "")[0], "router");
    assert_eq!(top(&api, &site, "moving", "")[0], "moving");
}

#[test]
fn published_articles_are_inert_html() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["en"]);
    let hostile = "Hello\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) [fine](https://example.com)";
    let articles = json!([{ "id": "evil", "title": "Evil", "body_markdown": hostile, "tags": [] }]);
    assert_eq!(publish(&api, &site, &token, articles).status, 200);
    let article = api.get(&format!("/v1/sites/{site}/kb/articles/evil"), &[]);
    assert_eq!(article.status, 200, "{}", article.body);
    let html = article.json()["html"].as_str().unwrap().to_owned();
    for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("").to_lowercase()) {
        assert!(
            !tag.starts_with("script") && !tag.contains("javascript:") && !tag.contains(" on"),
            "live <{tag}> in {html}"
        );
    }
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("<a href=\"https://example.com\">fine</a>"), "{html}");
    assert_eq!(article.json()["locale"], "en");

    // The same article as a page of its own (links in agents' replies): the sanitised HTML under
    // a title that stays text, and no script allowed at all.
    let titled = json!([{ "id": "evil", "title": "Evil <b>title</b>", "body_markdown": hostile, "tags": [] }]);
    assert_eq!(publish(&api, &site, &token, titled).status, 200);
    let page = api.get(&format!("/kb/{site}/evil?locale=en"), &[]);
    assert_eq!((page.status, page.content_type.as_str()), (200, "text/html"), "{}", page.body);
    assert!(page.body.contains("<h1>Evil &lt;b&gt;title&lt;/b&gt;</h1>"), "{}", page.body);
    assert!(page.body.contains("<a href=\"https://example.com\">fine</a>"), "{}", page.body);
    let policy = page.header("content-security-policy").unwrap_or_default().to_owned();
    assert!(policy.starts_with("default-src 'none'") && !policy.contains("script-src"), "{policy}");
    let missing = api.get(&format!("/kb/{site}/nope"), &[]);
    assert_eq!((missing.status, missing.content_type.as_str()), (404, "text/html"));
    assert!(missing.body.contains("There is no such article"), "{}", missing.body);
}

#[test]
fn publishing_replaces_the_index_and_a_failed_publish_keeps_it() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["ru", "en"]);
    let (_, other_token) = own_site(&api, &["en"]);
    assert_eq!(publish(&api, &site, &token, corpus()).status, 200);
    assert_eq!(top(&api, &site, "moving", "en"), ["moving"]);

    publish(&api, &site, &other_token, json!([])).problem(404);
    let unauthenticated =
        api.send("PUT", &format!("/v1/admin/sites/{site}/kb"), "{}", &[("Content-Type", "application/json")]);
    unauthenticated.problem(401);
    let bad = json!([{ "id": "x y", "locale": "en", "title": "", "body_markdown": "" }]);
    assert_eq!(publish(&api, &site, &token, bad).error_fields(), ["articles[0].id", "articles[0].title"]);
    let unknown_language = json!([{ "id": "x", "locale": "de", "title": "X", "body_markdown": "" }]);
    assert_eq!(publish(&api, &site, &token, unknown_language).error_fields(), ["articles[0].locale"]);
    assert_eq!(top(&api, &site, "moving", "en"), ["moving"], "a refused publish changes nothing");

    let next =
        json!([{ "id": "fibre", "locale": "en", "title": "Fibre", "body_markdown": "Fibre to the home.", "tags": [] }]);
    assert_eq!(publish(&api, &site, &token, next).status, 200);
    assert!(top(&api, &site, "moving", "en").is_empty(), "the old articles are gone");
    assert_eq!(top(&api, &site, "fibre", "en"), ["fibre"]);
    api.get(&format!("/v1/sites/{site}/kb/articles/moving"), &[]).problem(404);
}

#[test]
fn articles_fall_back_across_languages() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["ru", "en"]);
    assert_eq!(publish(&api, &site, &token, corpus()).status, 200);
    let ru = api.get(&format!("/v1/sites/{site}/kb/articles/router?locale=ru"), &[]).json();
    assert_eq!(ru["title"], "Настройка роутера");
    let en = api.get(&format!("/v1/sites/{site}/kb/articles/router?locale=en"), &[]).json();
    assert_eq!(en["title"], "Setting up your router");
    assert!(en["html"].as_str().unwrap().contains("<strong>Wi-Fi</strong>"));
    let fallback = api.get(&format!("/v1/sites/{site}/kb/articles/tariffs?locale=en"), &[]).json();
    assert_eq!(fallback["locale"], "ru", "only in Russian");
    api.get(&format!("/v1/sites/{site}/kb/articles/nope"), &[]).problem(404);
    api.get("/v1/sites/no-such-site/kb/articles/router", &[]).problem(404);
}

#[test]
fn feedback_and_events_are_recorded_and_checked() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["ru", "en"]);
    assert_eq!(publish(&api, &site, &token, corpus()).status, 200);
    let feedback = format!("/v1/sites/{site}/kb/articles/router/feedback");
    assert_eq!(api.post_json(&feedback, &json!({ "helpful": true }), &[]).status, 202);
    assert_eq!(api.post_json(&feedback, &json!({ "helpful": false }), &[]).status, 202);
    api.post_json(&format!("/v1/sites/{site}/kb/articles/nope/feedback"), &json!({ "helpful": true }), &[])
        .problem(404);
    api.send("POST", &feedback, "{", &[("Content-Type", "application/json")]).problem(400);
    api.post_json(&feedback, &json!({ "helpful": true }), &[("Origin", "https://evil.example")]).problem(403);

    let events = format!("/v1/sites/{site}/events");
    let search = json!({ "kind": "search", "query": "роутер", "results": 2 });
    assert_eq!(api.post_json(&events, &search, &[]).status, 202);
    assert_eq!(api.post_json(&events, &json!({ "kind": "form_opened" }), &[]).status, 202);
    assert_eq!(api.post_json(&events, &json!({ "kind": "hack" }), &[]).error_fields(), ["kind"]);
    let long = json!({ "kind": "search", "query": "a".repeat(201) });
    assert_eq!(api.post_json(&events, &long, &[]).error_fields(), ["query"]);
    assert_eq!(api.get(&format!("/v1/sites/{site}/kb/articles/router?locale=ru"), &[]).status, 200);

    // What the answers said was recorded is what is stored, and nothing of the refused ones.
    let sql = "SELECT kind, article_id, data FROM events WHERE site_id = ?1 AND ticket_id IS NULL ORDER BY kind";
    let rows = api.stored_eventually(&site, sql, &[&site], |rows| rows.len() >= 5);
    let got: Vec<(String, String, String)> = rows
        .into_iter()
        .map(|r| {
            let text = |i: usize| r[i].clone().unwrap_or_default();
            (text(0), text(1), text(2))
        })
        .collect();
    let want = [
        ("article_view", "router", ""),
        ("form_opened", "", r#"{"query":null,"results":null}"#),
        ("kb.helpful", "router", ""),
        ("kb.unhelpful", "router", ""),
        ("search", "", r#"{"query":"роутер","results":2}"#),
    ];
    let want: Vec<(String, String, String)> =
        want.iter().map(|(k, a, d)| (k.to_string(), a.to_string(), d.to_string())).collect();
    assert_eq!(got, want);
}

/// Sends "helpful: yes" votes for `article` after the search `query` from the clients
/// `clients` (one vote each), and waits until the store has all `total` votes of the site.
fn vote(api: &Api, site: &str, article: &str, query: &str, clients: std::ops::Range<usize>, total: usize) {
    let feedback = format!("/v1/sites/{site}/kb/articles/{article}/feedback");
    for client in clients {
        let ip = format!("203.0.113.{client}");
        let body = json!({ "helpful": true, "query": query });
        assert_eq!(api.post_json(&feedback, &body, &[("CF-Connecting-IP", &ip)]).status, 202);
    }
    let sql = "SELECT id FROM events WHERE kind = 'kb.helpful'";
    assert_eq!(api.stored_eventually(site, sql, &[], |rows| rows.len() >= total).len(), total);
}

/// The search's order once it is `want`, or as it is after the isolate's cache (5 s) expired.
fn order_becomes(api: &Api, site: &str, query: &str, want: &[String]) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
    loop {
        let got = top(api, site, query, "en");
        if got == want || std::time::Instant::now() > deadline {
            return got;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

#[test]
fn alternate_questions_are_searched_and_shown() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["en"]);
    let articles = json!([
        { "id": "setup", "title": "Router setup", "body_markdown": "How to set up the router at home.", "tags": [],
          "questions": ["My wifi network has no name", "Which cable goes where?"] },
        { "id": "lights", "title": "Router lights", "body_markdown": "What the lights on the router mean.", "tags": [] }
    ]);
    assert_eq!(publish(&api, &site, &token, articles).status, 200);
    let reply = api.get(&format!("/v1/sites/{site}/kb/search?q=network%20name&locale=en"), &[]);
    let hit = &reply.json()["hits"][0];
    assert_eq!(hit["id"], "setup", "{}", reply.body);
    assert_eq!(hit["snippet"], "My wifi network has no name", "the question that matched is shown");
    assert_eq!(hit["highlights"], json!([[8, 15], [23, 27]]), "«network» and «name»");
    assert_eq!(top(&api, &site, "cable", "en"), ["setup"]);
}

#[test]
fn helpful_votes_after_a_search_teach_it_and_one_vote_does_not() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["en"]);
    let articles = json!([
        { "id": "setup", "title": "Router setup", "body_markdown": "How to set up the router at home.", "tags": [] },
        { "id": "lights", "title": "Router lights", "body_markdown": "What the lights on the router mean.", "tags": [] }
    ]);
    assert_eq!(publish(&api, &site, &token, articles).status, 200);
    let before = top(&api, &site, "router", "en");
    assert_eq!(before.len(), 2, "both articles match");
    let second = before[1].clone();
    let flipped = vec![second.clone(), before[0].clone()];

    vote(&api, &site, &second, "router", 1..2, 1);
    assert_eq!(api.upkeep(&site)["learned_stems"], 0, "one vote teaches nothing");
    assert_eq!(order_becomes(&api, &site, "router", &flipped), before);
    // Nor do many votes of one client.
    for total in 2..=12 {
        vote(&api, &site, &second, "router", 1..2, total);
    }
    assert_eq!(api.upkeep(&site)["learned_stems"], 0, "a client's votes count once");

    vote(&api, &site, &second, "router", 2..13, 23);
    assert_eq!(api.upkeep(&site)["learned_stems"], 1, "«router» learned");
    assert_eq!(order_becomes(&api, &site, "router", &flipped), flipped, "repeated votes re-rank");
    // Other words are not affected, and a vote's query is checked like a search's.
    assert_eq!(top(&api, &site, "lights", "en"), ["lights"]);
    let feedback = format!("/v1/sites/{site}/kb/articles/setup/feedback");
    let long = json!({ "helpful": true, "query": "a".repeat(201) });
    assert_eq!(api.post_json(&feedback, &long, &[]).error_fields(), ["query"]);
}

#[test]
fn bad_publish_bodies_are_a_clear_422() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["en"]);
    let auth = format!("Bearer {token}");
    let put = |body: Value| {
        api.send(
            "PUT",
            &format!("/v1/admin/sites/{site}/kb"),
            &body.to_string(),
            &[("Authorization", &auth), ("Content-Type", "application/json")],
        )
    };
    let unknown = json!({ "articles": [{ "id": "a", "title": "A", "body_markdown": "B", "qestions": [] }] });
    let p = put(unknown).problem(422);
    let error = &p["errors"][0];
    assert!(error["message"].as_str().unwrap().contains("unknown field `qestions`"), "{p}");
    assert_eq!(error["field"], "articles[0].qestions", "{p}");
    assert_eq!(put(json!({ "articles": [] })).error_fields(), ["articles"]);
}

#[test]
fn the_home_screen_suggests_the_page_s_articles_then_the_rest() {
    let api = Api::from_env();
    let (site, token) = own_site(&api, &["ru", "en"]);
    assert_eq!(publish(&api, &site, &token, corpus()).status, 200);
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &token).json();
    config["home"] = json!({ "pages": [{ "path": "/billing", "articles": ["payments", "nope"] }] });
    assert_eq!(api.put_config(&site, &token, &config).status, 200);
    let ids = |query: &str| -> Vec<String> {
        let reply = api.get(&format!("/v1/sites/{site}/kb/suggested?{query}"), &[]).json();
        let hits = reply["hits"].as_array().cloned().unwrap_or_default();
        hits.iter().filter_map(|h| h["id"].as_str().map(str::to_owned)).collect()
    };
    // The isolate may hold the site's config from before the change for a few seconds.
    let billing = "locale=en&page_url=https%3A%2F%2Fshop.example%2Fbilling%2Fcards";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
    while ids(billing).first().map(String::as_str) != Some("payments") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    assert_eq!(ids(billing), ["payments", "moving", "router"], "the page's choice first (an unknown id passed over)");
    assert_eq!(ids("locale=en&page_url=https%3A%2F%2Fshop.example%2F&limit=2"), ["moving", "payments"]);
    assert_eq!(ids("locale=ru&limit=1"), ["connect"]);
    let long = format!("page_url={}", "a".repeat(2100));
    assert_eq!(api.get(&format!("/v1/sites/{site}/kb/suggested?{long}"), &[]).error_fields(), ["page_url"]);
    // Said in the visitor's language, as the form's own errors are.
    let refused = api.get(&format!("/v1/sites/{site}/kb/suggested?locale=ru&{long}"), &[]).problem(422);
    assert_eq!(refused["errors"][0]["message"], "Не более 2048 символов.", "{refused}");
    let not_a_page = api.get(&format!("/v1/sites/{site}/kb/suggested?locale=en&page_url=javascript%3Aalert(1)"), &[]);
    assert_eq!(not_a_page.problem(422)["errors"][0]["code"], "invalid_url");
}
