use serde_json::json;

use super::*;
use crate::config::TriageKeywords;
use crate::triage::triage;
use crate::wire::{TelegramUpdate, VkUpdate};

fn vk() -> VkConnection {
    VkConnection {
        group_id: 1234,
        confirmation: "a1b2c3d4".into(),
        secret: "s3cret".into(),
        access_token: "vk1.a.community-token-xxxxxxxx".into(),
        app_id: None,
        app_secret: None,
    }
}

fn callback(value: serde_json::Value) -> vk::Callback {
    serde_json::from_value(value).unwrap()
}

fn inbound(received: vk::Received) -> Inbound {
    match received {
        vk::Received::Message(m) => *m,
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn vk_confirmation_secret_and_community_are_checked() {
    let vk = vk();
    let confirm = callback(json!({"type": "confirmation", "group_id": 1234}));
    assert_eq!(vk::receive(&vk, &confirm), vk::Received::Confirm("a1b2c3d4".into()));
    let other_group = callback(json!({"type": "confirmation", "group_id": 99}));
    assert_eq!(vk::receive(&vk, &other_group), vk::Received::Refused);
    let event = |secret: Option<&str>| {
        callback(json!({"type": "message_new", "group_id": 1234, "event_id": "e1", "secret": secret,
            "object": {"message": {"id": 0, "peer_id": 42, "from_id": 42, "conversation_message_id": 7, "text": "Hi"}}}))
    };
    assert_eq!(vk::receive(&vk, &event(Some("wrong"))), vk::Received::Refused);
    assert_eq!(vk::receive(&vk, &event(None)), vk::Received::Refused);
    let message = inbound(vk::receive(&vk, &event(Some("s3cret"))));
    assert_eq!(message.keys, ["vk:event:e1", "vk:message:42:7"]);
    assert_eq!(message.thread, "vk:chat:42");
    assert_eq!(message.reply_to, ReplyTarget::Vk(VkTarget::Message { peer_id: 42 }));
    assert_eq!(message.customer, "vk:42");
    assert!(!message.public);
}

#[test]
fn vk_wall_and_board_events_and_the_community_s_own_posts() {
    let vk = vk();
    let base = |kind: &str, object: serde_json::Value| {
        callback(json!({"type": kind, "group_id": 1234, "event_id": "e", "secret": "s3cret", "object": object}))
    };
    let filed = |kind: &str, object: serde_json::Value| inbound(vk::receive(&vk, &base(kind, object)));
    let reply = filed(
        "wall_reply_new",
        json!({"id": 5, "from_id": 77, "post_id": 3, "owner_id": -1234, "text": " Где мой заказ? "}),
    );
    assert_eq!(reply.thread, "vk:wall:-1234_3");
    assert_eq!(reply.text, "Где мой заказ?");
    assert_eq!(
        reply.reply_to,
        ReplyTarget::Vk(VkTarget::Wall { owner_id: -1234, post_id: 3, reply_to_comment: Some(5) })
    );
    assert_eq!(reply.link.as_deref(), Some("https://vk.com/wall-1234_3?reply=5"));
    assert!(reply.public && !reply.to_another);
    let to_visitor = filed(
        "wall_reply_new",
        json!({"id": 6, "from_id": 78, "post_id": 3, "owner_id": -1234, "text": "me too", "reply_to_user": 77}),
    );
    assert!(to_visitor.to_another);
    let own = base(
        "wall_reply_new",
        json!({"id": 7, "from_id": -1234, "post_id": 3, "owner_id": -1234, "text": "We are on it"}),
    );
    assert!(matches!(vk::receive(&vk, &own), vk::Received::Ignored(_)), "the community's own reply");
    let post = filed("wall_post_new", json!({"id": 9, "owner_id": -1234, "from_id": 55, "text": "Help!"}));
    assert_eq!(post.reply_to, ReplyTarget::Vk(VkTarget::Wall { owner_id: -1234, post_id: 9, reply_to_comment: None }));
    let news =
        base("wall_post_new", json!({"id": 10, "owner_id": -1234, "from_id": -1234, "created_by": 1, "text": "News"}));
    assert!(matches!(vk::receive(&vk, &news), vk::Received::Ignored(_)), "the community's own post");
    let board = filed(
        "board_post_new",
        json!({"id": 11, "from_id": 56, "topic_id": 4, "topic_owner_id": -1234, "text": "Question"}),
    );
    assert_eq!(board.thread, "vk:board:-1234_4");
    assert_eq!(board.reply_to, ReplyTarget::Vk(VkTarget::Board { group_id: 1234, topic_id: 4 }));
    let unknown = base("photo_new", json!({"id": 1, "from_id": 5}));
    assert!(matches!(vk::receive(&vk, &unknown), vk::Received::Ignored(_)));
    let broken = base("wall_reply_new", json!({"from_id": 5}));
    assert!(matches!(vk::receive(&vk, &broken), vk::Received::Ignored(_)));
}

#[test]
fn vk_replies_post_once_per_message() {
    let vk = vk();
    let chat = reply_call(
        &Channels { vk: Some(vk.clone()), ..Channels::default() },
        &ReplyTarget::Vk(VkTarget::Message { peer_id: 42 }),
        "Привет & hi",
        "01HMSG",
    )
    .unwrap();
    assert_eq!(chat.path, "/method/messages.send");
    let form: Vec<(String, String)> = form_urlencoded::parse(chat.body.as_bytes()).into_owned().collect();
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    assert_eq!(get("message").as_deref(), Some("Привет & hi"));
    assert_eq!(get("v").as_deref(), Some(VK_API_VERSION));
    assert_eq!(get("random_id"), Some(vk::random_id("01HMSG").to_string()));
    assert_eq!(vk::random_id("01HMSG"), vk::random_id("01HMSG"));
    assert_ne!(vk::random_id("01HMSG"), vk::random_id("01HMSH"));
    let wall =
        vk::reply(&vk, &VkTarget::Wall { owner_id: -1234, post_id: 3, reply_to_comment: Some(5) }, "x", "01HMSG");
    assert_eq!(wall.method, "wall.createComment");
    assert!(
        wall.body.contains("guid=01HMSG")
            && wall.body.contains("reply_to_comment=5")
            && wall.body.contains("from_group=1234")
    );
    let board = vk::reply(&vk, &VkTarget::Board { group_id: 1234, topic_id: 4 }, "x", "01HMSG");
    assert_eq!(board.path, "/method/board.createComment");
    assert!(reply_call(&Channels::default(), &ReplyTarget::Vk(VkTarget::Message { peer_id: 1 }), "x", "m").is_none());
}

#[test]
fn platform_answers() {
    assert_eq!(vk::outcome(200, r#"{"response": 812}"#), Outcome::Sent("812".into()));
    assert_eq!(vk::outcome(200, r#"{"response": {"comment_id": 14}}"#), Outcome::Sent("14".into()));
    assert!(matches!(vk::outcome(200, r#"{"error": {"error_code": 6, "error_msg": "Too many"}}"#), Outcome::Retry(_)));
    assert_eq!(
        vk::outcome(200, r#"{"error": {"error_code": 901, "error_msg": "Can't send messages"}}"#),
        Outcome::Failed("VK error 901: Can't send messages".into())
    );
    assert!(matches!(vk::outcome(502, "bad gateway"), Outcome::Retry(_)));
    assert_eq!(telegram::outcome(200, r#"{"ok": true, "result": {"message_id": 33}}"#), Outcome::Sent("33".into()));
    assert!(matches!(
        telegram::outcome(429, r#"{"ok": false, "error_code": 429, "description": "slow"}"#),
        Outcome::Retry(_)
    ));
    assert_eq!(
        telegram::outcome(
            403,
            r#"{"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}"#
        ),
        Outcome::Failed("Telegram 403: Forbidden: bot was blocked by the user".into())
    );
}

fn update(value: serde_json::Value) -> telegram::Update {
    serde_json::from_value(value).unwrap()
}

#[test]
fn telegram_updates() {
    let message = |text: &str, chat_type: &str, is_bot: bool| {
        update(json!({"update_id": 900, "message": {"message_id": 12, "date": 1,
            "from": {"id": 55, "is_bot": is_bot, "first_name": "Anna", "last_name": "K", "username": "anna", "language_code": "ru"},
            "chat": {"id": 55, "type": chat_type}, "text": text}}))
    };
    let inbound = match telegram::receive(&message("Не приходит код", "private", false)) {
        telegram::Received::Message(m) => *m,
        other => panic!("{other:?}"),
    };
    assert_eq!(inbound.keys, ["telegram:update:900", "telegram:message:55:12"]);
    assert_eq!(inbound.thread, "telegram:chat:55");
    assert_eq!(inbound.name.as_deref(), Some("Anna K"));
    assert_eq!(inbound.link.as_deref(), Some("https://t.me/anna"));
    assert_eq!(inbound.reply_to, ReplyTarget::Telegram { chat_id: 55, message_id: 12 });
    assert_eq!(
        telegram::receive(&message("/start", "private", false)),
        telegram::Received::Start { chat_id: 55, locale: crate::domain::Locale::Ru }
    );
    assert!(matches!(telegram::receive(&message("hi", "group", false)), telegram::Received::Ignored(_)));
    assert!(matches!(telegram::receive(&message("hi", "private", true)), telegram::Received::Ignored(_)));
    assert!(matches!(telegram::receive(&update(json!({"update_id": 1}))), telegram::Received::Ignored(_)));
    let greeting = telegram::greeting(55, crate::domain::Locale::Ru, "Acme", "https://s.example/kb");
    assert_eq!(greeting["method"], "sendMessage");
    assert!(greeting["text"].as_str().unwrap().contains("поддержка Acme"));
    let bot = TelegramConnection { bot_token: "123:abc".into(), webhook_secret: "w".repeat(16) };
    assert!(telegram::is_from_telegram(&bot, Some(&"w".repeat(16))));
    assert!(!telegram::is_from_telegram(&bot, Some("nope")) && !telegram::is_from_telegram(&bot, None));
    let call = telegram::reply(&bot, 55, 12, "Ответ");
    let body: serde_json::Value = serde_json::from_str(&call.body).unwrap();
    assert_eq!(body["reply_parameters"]["message_id"], 12);
    assert_eq!(call.path, "/bot123:abc/sendMessage");
}

#[test]
fn connections_keep_their_secrets_and_show_none() {
    let token = format!("123456:{}", "A".repeat(35));
    let update = ChannelsUpdate {
        vk: Some(VkUpdate {
            group_id: 1234,
            confirmation: "a1b2c3d4".into(),
            secret: Some("s3cret".into()),
            access_token: Some("vk1-community-token-xxxxxxxx".into()),
            app_id: None,
            app_secret: None,
        }),
        telegram: Some(TelegramUpdate { bot_token: Some(token.clone()), webhook_secret: Some("w".repeat(20)) }),
        telegram_app: Some(crate::wire::TelegramApp { bot_id: 7001 }),
        ok: Some(crate::wire::OkUpdate { app_secret: Some("OKSECRET".into()) }),
    };
    let stored = apply(&Channels::default(), update.clone()).unwrap();
    assert_eq!(stored.telegram.as_ref().unwrap().bot_id(), "123456");
    // Secrets left out keep their values; a channel left out is disconnected.
    let mut again = update;
    again.vk.as_mut().unwrap().secret = None;
    again.vk.as_mut().unwrap().access_token = None;
    again.telegram = None;
    let kept = apply(&stored, again.clone()).unwrap();
    assert_eq!(kept.vk.as_ref().unwrap().secret, "s3cret");
    assert!(kept.telegram.is_none());
    // A first connection without its secrets is refused, naming them.
    let errors = apply(&Channels::default(), again).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["vk.secret", "vk.access_token"]);
    let bad = ChannelsUpdate {
        vk: None,
        telegram: Some(TelegramUpdate { bot_token: Some("not a token".into()), webhook_secret: Some("short".into()) }),
        telegram_app: Some(crate::wire::TelegramApp { bot_id: 0 }),
        ok: None,
    };
    let fields: Vec<String> = apply(&stored, bad).unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["telegram.bot_token", "telegram.webhook_secret", "telegram_app.bot_id"]);
    let shown = serde_json::to_string(&view(&stored, "https://w.example", "acme")).unwrap();
    assert!(!shown.contains("s3cret") && !shown.contains(&token) && !shown.contains("community-token"), "{shown}");
    assert!(shown.contains("https://w.example/v1/channels/vk/acme") && shown.contains("\"secret_set\":true"));
    assert!(shown.contains("\"telegram_app\":{\"bot_id\":7001}"), "{shown}");
    assert!(!shown.contains("OKSECRET") && shown.contains("\"ok\":{\"app_secret_set\":true}"), "{shown}");
}

#[test]
fn in_public_chatter_and_replies_to_visitors_need_no_answer() {
    let keywords = TriageKeywords::default();
    let message = |text: &str, public: bool, to_another: bool| Inbound {
        keys: vec![],
        thread: "t".into(),
        reply_to: ReplyTarget::Vk(VkTarget::Message { peer_id: 1 }),
        customer: "vk:1".into(),
        name: None,
        text: text.into(),
        link: None,
        public,
        to_another,
    };
    let needs = |text: &str, public: bool, to_another: bool| {
        let m = message(text, public, to_another);
        let request = m.request();
        m.needs_response(&triage(&request.subject, &request.message, None, &keywords)).value
    };
    assert!(needs("Когда вернут деньги за заказ?", true, false), "a question on the wall");
    assert!(needs("Интернет не работает третий день", true, false), "a problem on the wall");
    assert!(!needs("Классная фотка", true, false), "chatter on the wall");
    assert!(!needs("Спасибо, всё заработало!", true, false), "thanks");
    assert!(!needs("Как у тебя это получилось?", true, true), "a question to another visitor");
    assert!(needs("Привет", false, false), "anything in a chat with the company");
}

#[test]
fn a_channel_message_as_a_request() {
    let m = Inbound {
        keys: vec![],
        thread: "t".into(),
        reply_to: ReplyTarget::Telegram { chat_id: 1, message_id: 2 },
        customer: "telegram:1".into(),
        name: Some("Anna".into()),
        text: format!("\n{}\nsecond line", "слово ".repeat(30)),
        link: None,
        public: false,
        to_another: false,
    };
    let request = m.request();
    assert_eq!(request.subject.chars().count(), 81, "80 characters and an ellipsis");
    assert!(request.subject.ends_with('…'));
    assert_eq!(request.context.channel.as_deref(), Some("telegram"));
    assert_eq!(request.email, "");
    assert_eq!(m.verified().id, "telegram:1");
    assert_eq!(body(Some("   ")), NO_TEXT);
}

#[test]
fn agents_read_where_a_reply_got_to_in_both_languages() {
    use crate::domain::Locale;
    use crate::i18n::console::delivery;
    use crate::wire::{Delivery, DeliveryState};
    let failed =
        Delivery { channel: "vk".into(), state: DeliveryState::Failed, detail: Some("VK error 901: no".into()) };
    assert_eq!(delivery(Locale::En, &failed), "Not sent to VK: VK error 901: no");
    assert_eq!(delivery(Locale::Ru, &failed), "Не отправлено в VK: VK error 901: no");
    let sent = Delivery { channel: "telegram".into(), state: DeliveryState::Sent, detail: None };
    assert_eq!(delivery(Locale::Ru, &sent), "Отправлено в Telegram");
    let pending = Delivery { channel: "vk".into(), state: DeliveryState::Pending, detail: None };
    assert_eq!(delivery(Locale::En, &pending), "Sending to VK…");
}

#[test]
fn launch_parameters_are_checked_by_the_platform_the_site_connected() {
    let mut channels = Channels::default();
    // md5("5764520146" + "sessionkey123" + "APPSECRET"), as in `launch`'s tests.
    let ok = "logged_user_id=5764520146&session_key=sessionkey123&auth_sig=077f5b7dd7b608c46ec91f7fadfb4a4b";
    assert!(launched(&channels, ok, 0).is_none(), "no OK app connected: not a launch at all");
    channels.ok = Some(OkApp { app_secret: "APPSECRET".into() });
    assert_eq!(launched(&channels, ok, 0).unwrap().unwrap().customer_id(), "ok:5764520146");
    channels.ok = Some(OkApp { app_secret: "OTHER".into() });
    assert_eq!(launched(&channels, ok, 0).unwrap(), Err(crate::launch::Refused::Signature));
    assert!(launched(&channels, "utm_source=x", 0).is_none());
}

#[test]
fn a_mini_app_s_visitor_is_answered_in_their_chat_when_the_site_runs_that_channel() {
    let mut channels = Channels::default();
    assert_eq!(app_thread(&channels, "vk:9009"), None, "no community connected");
    channels.vk = Some(vk());
    assert_eq!(
        app_thread(&channels, "vk:9009"),
        Some(("vk:chat:9009".into(), ReplyTarget::Vk(VkTarget::Message { peer_id: 9009 })))
    );
    assert_eq!(app_thread(&channels, "telegram:5"), None, "no bot connected");
    assert_eq!(app_thread(&channels, "u-42"), None, "a site's own customer id");
    let bot = TelegramConnection { bot_token: "1:x".into(), webhook_secret: "w".into() };
    let call = telegram::reply(&bot, 5, 0, "Hi");
    assert!(!call.body.contains("reply_parameters"), "nothing to answer: a plain message");
}
