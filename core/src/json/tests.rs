//! Every impl against serde's derive of the same type: what we write is what serde writes, and
//! each side reads what the other wrote. Samples set every optional member both ways.
//! (Fractional numbers only where a type holds floats: a whole float reads back from our tree as
//! an integer, which serde_json's `Value` tells apart, though JSON does not.)

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{FromJson, Json, ToJson};
use crate::config::{Category, Choice, ColorMode, Condition, FieldDef, FieldKind, Localized, SiteConfig, Theme};
use crate::domain::{FieldError, Locale, SmallMap, TicketStatus};
use crate::wire::*;

fn both_ways<T: Serialize + DeserializeOwned + FromJson + ToJson + PartialEq + Debug>(value: T) {
    let serde = serde_json::to_value(&value).expect("serde writes it");
    let ours = serde_json::Value::from_json(&value.to_json()).expect("a tree");
    assert_eq!(ours, serde, "written as serde writes it");
    assert_eq!(T::from_json(&serde.to_json()).as_ref(), Some(&value), "reads what serde wrote");
    assert_eq!(serde_json::from_value::<T>(ours).expect("serde reads ours"), value, "serde reads what we wrote");
}

fn localized(en: &str, ru: &str) -> Localized {
    Localized::from([(Locale::En, en.to_owned()), (Locale::Ru, ru.to_owned())])
}

fn context() -> PageContext {
    PageContext {
        page_url: Some("https://shop.example/cart".into()),
        referrer: None,
        locale: Some(Locale::Ru),
        channel: Some("vk".into()),
        user_agent: Some("Mozilla/5.0".into()),
    }
}

#[test]
fn the_boot_reads_and_writes_as_serde_has_it() {
    let mut config = SiteConfig { name: "Acme".into(), ..SiteConfig::default() };
    config.theme.mode = ColorMode::Dark;
    config.launcher_label = localized("Help", "Помощь");
    let mut order = FieldDef::new("order", FieldKind::Text, localized("Order", "Заказ"));
    order.required = true;
    order.pattern = Some("999-999".into());
    order.max_length = Some(7);
    let mut plan = FieldDef::new("plan", FieldKind::Select, localized("Plan", "Тариф"));
    plan.options = vec![Choice { value: "pro".into(), label: localized("Pro", "Про") }];
    plan.show_if = Some(Condition { field: "order".into(), equals: "1".into() });
    let mut seats = FieldDef::new("seats", FieldKind::Number, localized("Seats", "Места"));
    seats.min = Some(0.5);
    seats.max = Some(99.5);
    config.form.category_required = true;
    config.form.categories = vec![Category {
        id: "billing".into(),
        label: localized("Billing", "Оплата"),
        fields: vec![order, plan, seats],
    }];
    let mut public = config.public("acme");
    public.turnstile_site_key = Some("0x4AAA".into());
    both_ways(EmbedBoot {
        config: public.clone().for_widget(),
        locale: Locale::Ru,
        mode: EmbedMode::Page,
        parent_origin: Some("https://shop.example".into()),
        channel: Some("telegram".into()),
        launched: Some(LaunchedVisitor { platform: "vk".into(), name: None }),
        telegram_app: true,
        reply_note: Some("Обычно отвечаем за 4 часа".into()),
    });
    both_ways(EmbedBoot {
        config: public.for_widget(),
        locale: Locale::En,
        mode: EmbedMode::Frame,
        parent_origin: None,
        channel: None,
        launched: None,
        telegram_app: false,
        reply_note: None,
    });
}

#[test]
fn host_messages_read_and_write_as_serde_has_them() {
    let from_host = [
        HostMessage::Context { context: context() },
        HostMessage::Context { context: PageContext::default() },
        HostMessage::Open,
        HostMessage::Restore { items: SmallMap::from([("tabdesk:acme:outbox".to_owned(), "sealed".to_owned())]) },
        HostMessage::Close,
        HostMessage::Search { query: "refund".into() },
        HostMessage::ShowArticle { id: "refunds".into() },
        HostMessage::Prefill { values: "{\"subject\":\"Hi\"}".into() },
        HostMessage::Identify { token: Some("a.b.c".into()) },
        HostMessage::Identify { token: None },
    ];
    for message in from_host {
        both_ways(message);
    }
    let from_widget = [
        WidgetMessage::Store { key: "k".into(), value: Some("v".into()) },
        WidgetMessage::Store { key: "k".into(), value: None },
        WidgetMessage::Ready,
        WidgetMessage::Close,
        WidgetMessage::Event { event: HostEvent::TicketCreated { id: "t1".into(), number: "A-1".into() } },
        WidgetMessage::Event { event: HostEvent::ArticleViewed { id: "a".into() } },
        WidgetMessage::Event { event: HostEvent::MessageReceived { id: "t1".into(), number: "A-1".into() } },
    ];
    for message in from_widget {
        both_ways(message);
    }
}

#[test]
fn requests_and_their_answers_read_and_write_as_serde_has_them() {
    both_ways(NewTicket {
        subject: "Refund".into(),
        message: "Where is my money?".into(),
        email: "a@example.com".into(),
        name: Some("Аня".into()),
        category: Some("billing".into()),
        fields: SmallMap::from([
            ("order".to_owned(), serde_json::json!("123-456").to_json()),
            ("seats".to_owned(), serde_json::json!(3).to_json()),
            ("share".to_owned(), serde_json::json!(0.25).to_json()),
            ("agree".to_owned(), serde_json::json!(true).to_json()),
            ("plans".to_owned(), serde_json::json!(["pro", "team"]).to_json()),
        ]),
        context: context(),
        viewed_articles: vec!["refunds".into()],
        searches: vec!["refund".into()],
        hp: String::new(),
        fill_ms: Some(4200),
        turnstile_token: Some("tok".into()),
        identity: Some("a.b.c".into()),
        launch: Some("vk_user_id=1&sign=x".into()),
    });
    both_ways(NewTicket::default());
    both_ways(TicketCreated {
        id: "t1".into(),
        number: "A-1".into(),
        access_token: "secret".into(),
        status: TicketStatus::New,
        created_at: "2026-11-30T00:00:00Z".into(),
    });
    both_ways(NewMessage { body: "Thanks".into(), visibility: Visibility::Public });
    let delivered = Delivery { channel: "vk".into(), state: DeliveryState::Failed, detail: Some("VK error 15".into()) };
    both_ways(CustomerTicket {
        id: "t1".into(),
        number: "A-1".into(),
        subject: "Refund".into(),
        status: TicketStatus::Pending,
        created_at: "2026-11-30T00:00:00Z".into(),
        updated_at: "2026-11-30T01:00:00Z".into(),
        messages: vec![
            Message {
                id: "m1".into(),
                author: Author { kind: AuthorKind::Customer, name: None, agent_id: None },
                body: "Hi".into(),
                visibility: Visibility::Public,
                created_at: "2026-11-30T00:00:00Z".into(),
                delivery: None,
            },
            Message {
                id: "m2".into(),
                author: Author { kind: AuthorKind::Agent, name: Some("Olga".into()), agent_id: Some("ag1".into()) },
                body: "Hello".into(),
                visibility: Visibility::Public,
                created_at: "2026-11-30T00:30:00Z".into(),
                delivery: Some(delivered),
            },
        ],
    });
    both_ways(MineRequest { identity: "a.b.c".into() });
    both_ways(Mine {
        tickets: vec![OwnTicket { id: "t1".into(), number: "A-1".into(), access_token: "secret".into() }],
    });
    both_ways(SummariesRequest { tickets: vec![TicketRef { id: "t1".into(), access_token: "secret".into() }] });
    let summary = |last: Option<&str>| CustomerSummary {
        id: "t1".into(),
        number: "A-1".into(),
        subject: "Refund".into(),
        status: TicketStatus::Open,
        updated_at: "2026-11-30T01:00:00Z".into(),
        last_reply_id: last.map(str::to_owned),
        last_reply_at: last.map(|_| "2026-11-30T01:00:00Z".to_owned()),
    };
    both_ways(Summaries { tickets: vec![summary(Some("m2")), summary(None)] });
    both_ways(RelayKeyRequest { id: "r".into() });
    both_ways(RelayKey { key: "k".into() });
    let error = FieldError::new("email", "invalid", "Not an email");
    for (errors, retry_after) in [(vec![error], None), (vec![], Some(30))] {
        both_ways(Problem {
            kind: "about:blank".into(),
            title: "Unprocessable".into(),
            status: 422,
            detail: "Check the fields".into(),
            errors,
            retry_after,
        });
    }
}

#[test]
fn the_knowledge_base_reads_and_writes_as_serde_has_it() {
    both_ways(SearchResults {
        hits: vec![SearchHit {
            id: "refunds".into(),
            title: "Refunds".into(),
            snippet: "How refunds work".into(),
            highlights: vec![[0, 7], [12, 20]],
            url: "/kb/refunds".into(),
            score: 0.75,
        }],
        total: 1,
        took_us: 41,
    });
    both_ways(KbArticle {
        id: "refunds".into(),
        title: "Возврат".into(),
        html: "<p>Да</p>".into(),
        locale: Locale::Ru,
        tags: vec!["billing".into()],
        updated_at: "2026-11-30".into(),
    });
    both_ways(KbFeedback { helpful: true, query: Some("refund".into()) });
    both_ways(KbFeedback { helpful: false, query: None });
    for kind in [WidgetEventKind::Search, WidgetEventKind::FormOpened] {
        both_ways(WidgetEvent { kind, article_id: None, query: Some("refund".into()), results: Some(3) });
    }
    both_ways(WidgetEvent { kind: WidgetEventKind::Search, article_id: Some("a".into()), query: None, results: None });
}

#[test]
fn members_left_out_read_as_serde_reads_them() {
    let empty = Json::Object(Vec::new());
    assert_eq!(PageContext::from_json(&empty), Some(PageContext::default()), "a struct that defaults");
    assert_eq!(Theme::from_json(&empty), Some(Theme::default()), "from its own default, as serde takes it");
    let dark = serde_json::json!({ "mode": "dark" });
    assert_eq!(Theme::from_json(&dark.to_json()), serde_json::from_value::<Theme>(dark).ok(), "the rest from it");
    assert_eq!(NewTicket::from_json(&empty), Some(NewTicket::default()));
    assert_eq!(RelayKey::from_json(&empty), None, "a required member");
    let no_name = serde_json::json!({ "platform": "vk" }).to_json();
    assert_eq!(
        LaunchedVisitor::from_json(&no_name),
        Some(LaunchedVisitor { platform: "vk".into(), name: None }),
        "an option left out is none"
    );
    let unknown = serde_json::json!({ "type": "tabdesk:nonsense" }).to_json();
    assert_eq!(HostMessage::from_json(&unknown), None, "an unknown message");
    assert_eq!(HostMessage::from_json(&Json::String("tabdesk:open".into())), None, "not an object");
    let wrong = serde_json::json!({ "type": "tabdesk:search", "query": 7 }).to_json();
    assert_eq!(HostMessage::from_json(&wrong), None, "a member of the wrong type");
    assert_eq!(u8::from_json(&Json::Number(256.0)), None, "out of range");
    assert_eq!(u32::from_json(&Json::Number(1.5)), None, "not whole");
    assert_eq!(Locale::from_json(&Json::String("ru-RU".into())), None, "a tag serde does not take");
}
