//! Channels against the real worker: VK's Callback API and a Telegram bot's webhook with
//! payloads shaped as the platforms document them (no network), and agents' replies sent to a
//! stand-in for both platforms' APIs that listens where the test config points the worker
//! (`TABDESK_PLATFORM_PORT`).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tabdesk_tests::{unique, Api, Reply};

/// A call the stub accepted: the method's path and its parameters (form or JSON, flattened).
#[derive(Debug, Clone)]
struct Call {
    path: String,
    params: HashMap<String, String>,
}

#[derive(Default)]
struct Stub {
    accepted: Vec<Call>,
    /// Tries per reply, by its `random_id`, `guid` or Telegram reply's message.
    tries: HashMap<String, usize>,
    /// What VK has posted, by `random_id` or `guid`: a repeat is answered, not posted again.
    posted: HashSet<String>,
}

fn stub() -> &'static Mutex<Stub> {
    static STUB: OnceLock<Mutex<Stub>> = OnceLock::new();
    STUB.get_or_init(|| {
        let port = std::env::var("TABDESK_PLATFORM_PORT").expect("TABDESK_PLATFORM_PORT: run with cargo xtask test");
        let listener = std::net::TcpListener::bind(format!("127.0.0.1:{port}")).expect("the stub's port");
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || serve(stream));
            }
        });
        Mutex::new(Stub::default())
    })
}

/// Answers one platform call like VK or Telegram would: a token with `flaky` in it fails each
/// reply's first try with a 500, one with `denied` is refused for good.
fn serve(mut stream: std::net::TcpStream) {
    let Ok(clone) = stream.try_clone() else { return };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    reader.read_line(&mut line).ok();
    let path = line.split_whitespace().nth(1).unwrap_or_default().to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok();
    let body = String::from_utf8_lossy(&body).into_owned();
    let params: HashMap<String, String> = if path.starts_with("/telegram/") {
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        v.as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_owned))).collect())
            .unwrap_or_default()
    } else {
        form_urlencoded::parse(body.as_bytes()).into_owned().collect()
    };
    let token = params.get("access_token").cloned().unwrap_or_else(|| path.clone());
    let once = params.get("random_id").or(params.get("guid")).cloned().unwrap_or_else(|| body.clone());
    let (status, answer) = {
        let mut stub = stub().lock().expect("the stub's state");
        let tries = stub.tries.entry(once.clone()).or_default();
        *tries += 1;
        if token.contains("flaky") && *tries == 1 {
            (500, "{}".to_owned())
        } else if token.contains("denied") {
            (200, json!({"error": {"error_code": 15, "error_msg": "Access denied"}}).to_string())
        } else if path.starts_with("/telegram/") {
            stub.accepted.push(Call { path: path.clone(), params });
            (200, json!({"ok": true, "result": {"message_id": 700}}).to_string())
        } else {
            if stub.posted.insert(once) {
                stub.accepted.push(Call { path: path.clone(), params });
            }
            let response = if path.ends_with("messages.send") { json!(812) } else { json!({"comment_id": 14}) };
            (200, json!({ "response": response }).to_string())
        }
    };
    let reply = format!(
        "HTTP/1.1 {status} Answer\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

/// The calls the stub accepted whose path ends with `method` and whose parameter `key` is
/// `value`, once `want` of them came (or after 30 s).
fn accepted(method: &str, key: &str, value: &str, want: usize) -> Vec<Call> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let calls: Vec<Call> = stub()
            .lock()
            .expect("the stub's state")
            .accepted
            .iter()
            .filter(|c| c.path.ends_with(method) && c.params.get(key).map(String::as_str) == Some(value))
            .cloned()
            .collect();
        if calls.len() >= want || Instant::now() > deadline {
            return calls;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

const SECRET: &str = "cbsecret42";
const GROUP: i64 = 217_000_000;

/// A site with a VK community connected whose token is `token` (the platform stub listening).
fn vk_site(api: &Api, token: &str) -> (String, String) {
    stub();
    let (site, admin) = api.own_site("vk");
    let connected = api.put_channels(
        &site,
        &admin,
        &json!({ "vk": { "group_id": GROUP, "confirmation": "f00dcafe", "secret": SECRET, "access_token": token } }),
    );
    assert_eq!(connected.status, 200, "{}", connected.body);
    (site, admin)
}

fn callback(api: &Api, site: &str, body: &Value) -> Reply {
    api.post_json(&format!("/v1/channels/vk/{site}"), body, &[("X-Retry-Counter", "0")])
}

fn event(kind: &str, object: Value) -> Value {
    json!({ "type": kind, "event_id": unique("ev"), "v": "5.199", "object": object, "group_id": GROUP, "secret": SECRET })
}

fn chat_message(peer: i64, id: i64, text: &str) -> Value {
    event(
        "message_new",
        json!({ "message": { "id": id, "date": 1_764_500_000, "peer_id": peer, "from_id": peer,
        "text": text, "conversation_message_id": id, "out": 0 }, "client_info": { "lang_id": 0 } }),
    )
}

fn ticket_of(api: &Api, site: &str, admin: &str, needle: &str) -> Option<Value> {
    api.tickets(site, admin).into_iter().find(|t| t["message"].as_str().is_some_and(|m| m.contains(needle)))
}

fn thread(api: &Api, admin: &str, id: &str) -> Vec<Value> {
    api.get_as(&format!("/v1/admin/tickets/{id}"), admin).json()["messages"].as_array().expect("a thread").clone()
}

#[test]
fn connections_are_validated_and_never_show_their_secrets() {
    let api = Api::from_env();
    let (site, admin) = vk_site(&api, "vk1.a.community-token-secret");
    let shown = api.get_as(&format!("/v1/admin/sites/{site}/channels"), &admin);
    assert_eq!(shown.status, 200);
    assert!(!shown.body.contains(SECRET) && !shown.body.contains("community-token-secret"), "{}", shown.body);
    let view = shown.json();
    assert_eq!(view["vk"]["secret_set"], true);
    assert!(view["vk"]["callback_url"].as_str().unwrap().ends_with(&format!("/v1/channels/vk/{site}")));
    // Secrets left out are kept; bad ones are named.
    let kept = api.put_channels(&site, &admin, &json!({ "vk": { "group_id": GROUP, "confirmation": "f00dcafe" } }));
    assert_eq!(kept.json()["vk"]["access_token_set"], true);
    let bad = api.put_channels(
        &site,
        &admin,
        &json!({ "vk": { "group_id": -5, "confirmation": "f00dcafe" }, "telegram": { "bot_token": "nope" } }),
    );
    assert_eq!(bad.error_fields(), ["vk.group_id", "telegram.bot_token", "telegram.webhook_secret"]);
    let unknown = api.put_channels(&site, &admin, &json!({ "facebook": {} }));
    assert!(matches!(unknown.status, 400 | 422), "{}", unknown.body);
    // Without a token, nothing.
    assert_eq!(api.get(&format!("/v1/admin/sites/{site}/channels"), &[]).status, 401);
}

#[test]
fn vk_confirms_its_server_refuses_a_wrong_secret_and_files_each_event_once() {
    let api = Api::from_env();
    let (site, admin) = vk_site(&api, "vk1.a.community-token-plain");
    let confirm = callback(&api, &site, &json!({ "type": "confirmation", "group_id": GROUP }));
    assert_eq!((confirm.status, confirm.content_type.as_str(), confirm.body.as_str()), (200, "text/plain", "f00dcafe"));

    let mut forged = chat_message(1001, 1, "forged question");
    forged["secret"] = json!("wrong");
    callback(&api, &site, &forged).problem(403);
    assert!(api.tickets(&site, &admin).is_empty(), "nothing stored for a wrong secret");

    // VK delivers the same event three times (it got no answer in time): one ticket.
    let first = chat_message(1001, 1, "Как оплатить заказ картой?");
    let answers: Vec<Reply> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3).map(|_| s.spawn(|| callback(&Api::from_env(), &site, &first))).collect();
        handles.into_iter().map(|h| h.join().expect("a thread")).collect()
    });
    for answer in &answers {
        assert_eq!((answer.status, answer.body.as_str()), (200, "ok"));
    }
    let tickets = api.tickets(&site, &admin);
    assert_eq!(tickets.len(), 1, "{tickets:?}");
    let ticket = &tickets[0];
    assert_eq!(ticket["context"]["channel"], "vk");
    assert_eq!(ticket["verified"]["id"], "vk:1001");
    assert_eq!(ticket["email"], "");
    assert_eq!(ticket["needs_response"], true);
    // The same message under another event id is still one message; the next one joins the ticket.
    callback(&api, &site, &chat_message(1001, 1, "Как оплатить заказ картой?"));
    callback(&api, &site, &chat_message(1001, 2, "И можно ли в рассрочку?"));
    assert_eq!(api.tickets(&site, &admin).len(), 1);
    let messages = thread(&api, &admin, ticket["id"].as_str().unwrap());
    let bodies: Vec<&str> = messages.iter().filter_map(|m| m["body"].as_str()).collect();
    assert_eq!(bodies, ["Как оплатить заказ картой?", "И можно ли в рассрочку?"]);

    // The wall, its comments and the boards; the community's own words are not tickets.
    let post = event(
        "wall_post_new",
        json!({ "id": 50, "owner_id": -GROUP, "from_id": 2002, "date": 1, "text": "Не работает доставка в Казань?", "post_type": "post" }),
    );
    let own_post = event(
        "wall_post_new",
        json!({ "id": 51, "owner_id": -GROUP, "from_id": -GROUP, "created_by": 9, "text": "Новости недели", "post_type": "post" }),
    );
    let comment = event(
        "wall_reply_new",
        json!({ "id": 60, "from_id": 3003, "post_id": 40, "owner_id": -GROUP, "post_owner_id": -GROUP, "date": 1, "text": "Когда вернут деньги за возврат?" }),
    );
    let chatter = event(
        "wall_reply_new",
        json!({ "id": 61, "from_id": 3004, "post_id": 40, "owner_id": -GROUP, "post_owner_id": -GROUP, "date": 1, "text": "Классная фотка", "reply_to_user": 3003 }),
    );
    let own_reply = event(
        "wall_reply_new",
        json!({ "id": 62, "from_id": -GROUP, "post_id": 40, "owner_id": -GROUP, "post_owner_id": -GROUP, "date": 1, "text": "Разберёмся" }),
    );
    let board = event(
        "board_post_new",
        json!({ "id": 70, "from_id": 4004, "date": 1, "text": "Подскажите, какой тариф выбрать для офиса?", "topic_id": 8, "topic_owner_id": -GROUP }),
    );
    for body in [&post, &own_post, &comment, &chatter, &own_reply, &board] {
        assert_eq!(callback(&api, &site, body).body, "ok");
    }
    assert!(
        ticket_of(&api, &site, &admin, "Новости недели").is_none()
            && ticket_of(&api, &site, &admin, "Разберёмся").is_none()
    );
    let wall = ticket_of(&api, &site, &admin, "доставка в Казань").expect("the visitor's post");
    assert_eq!(wall["context"]["page_url"], format!("https://vk.com/wall-{GROUP}_50"));
    let comment = ticket_of(&api, &site, &admin, "вернут деньги").expect("the comment");
    // The chatter under the same post joins its thread, and needs no answer by itself.
    let under_post = thread(&api, &admin, comment["id"].as_str().unwrap());
    assert_eq!(under_post.len(), 2, "{under_post:?}");
    assert!(ticket_of(&api, &site, &admin, "тариф выбрать").is_some(), "the board post");
    let chat_only =
        api.get_as(&format!("/v1/admin/sites/{site}/tickets?channel=vk&needs_response=true"), &admin).json();
    assert_eq!(chat_only["tickets"].as_array().unwrap().len(), 4);
    assert_eq!(
        api.get_as(&format!("/v1/admin/sites/{site}/tickets?channel=telegram"), &admin).json()["tickets"],
        json!([])
    );
}

#[test]
fn a_public_chatter_post_needs_no_answer() {
    let api = Api::from_env();
    let (site, admin) = vk_site(&api, "vk1.a.community-token-plain");
    callback(
        &api,
        &site,
        &event("wall_post_new", json!({ "id": 5, "owner_id": -GROUP, "from_id": 77, "text": "Всем хорошего дня" })),
    );
    let ticket = ticket_of(&api, &site, &admin, "хорошего дня").expect("filed");
    assert_eq!(ticket["needs_response"], false, "{}", ticket["triage"]);
}

/// A site whose VK community's token is `token`, and the ticket a community message from `peer`
/// saying `text` filed there: (site, admin token, ticket id).
fn chat_ticket(api: &Api, token: &str, peer: i64, text: &str) -> (String, String, String) {
    let (site, admin) = vk_site(api, token);
    callback(api, &site, &chat_message(peer, 1, text));
    let ticket = ticket_of(api, &site, &admin, text).expect("filed");
    let id = ticket["id"].as_str().expect("an id").to_owned();
    (site, admin, id)
}

fn reply(api: &Api, admin: &str, ticket: &str, body: &str) -> Value {
    let sent = api.post_json(
        &format!("/v1/admin/tickets/{ticket}/messages"),
        &json!({ "body": body, "visibility": "public" }),
        &[("Authorization", &format!("Bearer {admin}"))],
    );
    assert_eq!(sent.status, 201, "{}", sent.body);
    sent.json()
}

/// The delivery state of message `id` once it is no longer pending (or after 30 s).
fn delivered(api: &Api, admin: &str, ticket: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = thread(api, admin, ticket).into_iter().find(|m| m["id"] == id).expect("the message");
        if found["delivery"]["state"] != "pending" || Instant::now() > deadline {
            return found["delivery"].clone();
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn an_agent_s_reply_reaches_vk_exactly_once_even_when_vk_fails_first() {
    let api = Api::from_env();
    let (site, admin, id) = chat_ticket(&api, "vk1.a.flaky-community-token", 5005, "Где мой заказ 1234?");
    let id = id.as_str();
    let answer = reply(&api, &admin, id, "Заказ 1234 уже в пути.");
    assert_eq!(answer["delivery"]["state"], "pending");
    let note = api.post_json(
        &format!("/v1/admin/tickets/{id}/messages"),
        &json!({ "body": "internal: check the courier", "visibility": "internal" }),
        &[("Authorization", &format!("Bearer {admin}"))],
    );
    assert!(note.json()["delivery"].is_null(), "internal notes never leave");
    let state = delivered(&api, &admin, id, answer["id"].as_str().unwrap());
    assert_eq!(state["state"], "sent", "{state}");
    let calls = accepted("messages.send", "peer_id", "5005", 1);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].params["message"], "Заказ 1234 уже в пути.");
    assert_eq!(calls[0].params["v"], "5.199");
    assert_eq!(stub().lock().unwrap().tries[&calls[0].params["random_id"]], 2, "failed once, then sent");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(accepted("messages.send", "peer_id", "5005", 2).len(), 1, "and never again");

    // On the wall, the reply answers the customer's comment.
    callback(
        &api,
        &site,
        &event(
            "wall_reply_new",
            json!({ "id": 91, "from_id": 6006, "post_id": 90, "owner_id": -GROUP, "text": "Почему так дорого?" }),
        ),
    );
    let wall = ticket_of(&api, &site, &admin, "так дорого").expect("filed");
    let wall_id = wall["id"].as_str().unwrap();
    let answer = reply(&api, &admin, wall_id, "Цены те же, что в магазине.");
    assert_eq!(delivered(&api, &admin, wall_id, answer["id"].as_str().unwrap())["state"], "sent");
    let calls = accepted("wall.createComment", "reply_to_comment", "91", 1);
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (calls[0].params["guid"].as_str(), calls[0].params["from_group"].as_str()),
        (answer["id"].as_str().unwrap(), "217000000")
    );
}

#[test]
fn a_reply_vk_refuses_is_marked_failed_with_vk_s_reason() {
    let api = Api::from_env();
    let (_, admin, id) = chat_ticket(&api, "vk1.a.denied-community-token", 7007, "Здравствуйте, вопрос по счёту");
    let id = id.as_str();
    let answer = reply(&api, &admin, id, "Ответ");
    let state = delivered(&api, &admin, id, answer["id"].as_str().unwrap());
    assert_eq!(
        (state["state"].as_str(), state["detail"].as_str()),
        (Some("failed"), Some("VK error 15: Access denied"))
    );
}

const BOT_SECRET: &str = "tg-webhook-secret-0123";

fn telegram(api: &Api, site: &str, secret: &str, update: &Value) -> Reply {
    api.post_json(&format!("/v1/channels/telegram/{site}"), update, &[("X-Telegram-Bot-Api-Secret-Token", secret)])
}

fn update(update_id: i64, message_id: i64, text: &str) -> Value {
    json!({ "update_id": update_id, "message": { "message_id": message_id, "date": 1_764_500_000, "text": text,
        "from": { "id": 8008, "is_bot": false, "first_name": "Anna", "username": "anna_k", "language_code": "en" },
        "chat": { "id": 8008, "type": "private", "first_name": "Anna" } } })
}

#[test]
fn a_telegram_bot_s_messages_become_one_ticket_and_replies_go_back() {
    let api = Api::from_env();
    stub();
    let (site, admin) = api.own_site("tg");
    let bot_token = format!("700100:{}", unique("flakyBotTokenxxxxxxxxxxxxxxxxxxxxx").replace('-', "_"));
    let connected = api.put_channels(
        &site,
        &admin,
        &json!({ "telegram": { "bot_token": bot_token, "webhook_secret": BOT_SECRET } }),
    );
    assert_eq!(connected.status, 200, "{}", connected.body);
    assert_eq!(connected.json()["telegram"]["bot_id"], "700100");

    telegram(&api, &site, "wrong-secret-xxxxxxx", &update(1, 1, "forged")).problem(403);
    assert!(api.tickets(&site, &admin).is_empty());
    let start = telegram(&api, &site, BOT_SECRET, &update(2, 2, "/start"));
    assert_eq!(start.status, 200);
    let greeting = start.json();
    assert_eq!((greeting["method"].as_str(), greeting["chat_id"].as_i64()), (Some("sendMessage"), Some(8008)));
    assert!(greeting["text"].as_str().unwrap().contains(&format!("Site {site} support")), "{greeting}");
    assert!(api.tickets(&site, &admin).is_empty(), "/start files nothing");

    let first = update(3, 3, "My code never arrives");
    for _ in 0..2 {
        assert_eq!(telegram(&api, &site, BOT_SECRET, &first).status, 200);
    }
    // Telegram may number the same message anew: still one.
    assert_eq!(telegram(&api, &site, BOT_SECRET, &update(4, 3, "My code never arrives")).status, 200);
    telegram(&api, &site, BOT_SECRET, &update(5, 4, "I tried twice."));
    let tickets = api.tickets(&site, &admin);
    assert_eq!(tickets.len(), 1, "{tickets:?}");
    let ticket = &tickets[0];
    assert_eq!((ticket["context"]["channel"].as_str(), ticket["name"].as_str()), (Some("telegram"), Some("Anna")));
    let id = ticket["id"].as_str().unwrap();
    assert_eq!(thread(&api, &admin, id).len(), 2);

    let answer = reply(&api, &admin, id, "We sent a new code.");
    let state = delivered(&api, &admin, id, answer["id"].as_str().unwrap());
    assert_eq!(state["state"], "sent", "{state}");
    let calls = accepted("sendMessage", "text", "We sent a new code.", 1);
    assert_eq!(calls.len(), 1);
    assert!(calls[0].path.starts_with("/telegram/bot700100:"));
    let parameters: Value = serde_json::from_str(&calls[0].params["reply_parameters"]).unwrap();
    assert_eq!(parameters["message_id"], 4, "answers the customer's last message");
}

#[test]
fn a_vk_mini_app_visitor_is_answered_in_the_tab_and_in_the_community_chat() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use hmac::{Hmac, Mac};
    stub();
    let api = Api::from_env();
    let (site, admin) = api.own_site("vkapp");
    let key = "mini-app-secure-key";
    let connected = api.put_channels(
        &site,
        &admin,
        &json!({ "vk": { "group_id": GROUP, "confirmation": "f00dcafe", "secret": SECRET,
            "access_token": "vk1.a.community-token-plain", "app_id": 51000000, "app_secret": key } }),
    );
    assert_eq!(connected.status, 200, "{}", connected.body);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let params = format!("vk_app_id=51000000&vk_ts={now}&vk_user_id=9009");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(params.as_bytes());
    let sign = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    let mut request = tabdesk_tests::ticket("From the Mini App");
    request["email"] = json!("");
    request["launch"] = json!(format!("{params}&sign={sign}"));
    let created = api.create_ticket(&site, &request, &unique("k"));
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();

    let answer = reply(&api, &admin, &id, "Answered in the tab and in VK.");
    assert_eq!(delivered(&api, &admin, &id, answer["id"].as_str().unwrap())["state"], "sent");
    assert_eq!(accepted("messages.send", "peer_id", "9009", 1).len(), 1);
    // What they write to the community next joins the same request.
    callback(&api, &site, &chat_message(9009, 1, "Thanks, one more question?"));
    assert_eq!(api.tickets(&site, &admin).len(), 1);
    assert_eq!(thread(&api, &admin, &id).last().unwrap()["body"], "Thanks, one more question?");
}
