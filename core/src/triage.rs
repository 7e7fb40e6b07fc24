//! Triage: deterministic labels for a new ticket, each with the rule that set it, so agents can
//! see why a ticket is urgent and sites can tune it with their own keywords.
//!
//! Words are compared as Snowball stems (Russian or English by script), so «не работают»,
//! «не работал» and «не работает» all meet the same lexicon entry.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::config::TriageKeywords;
use crate::domain::Priority;
use crate::text::{tokenize, Scripts, Stemmers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ru,
    En,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sentiment {
    Negative,
    Neutral,
    Positive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Intent {
    Question,
    Problem,
    Complaint,
    Purchase,
    Praise,
}

/// A label and the rule that set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Label<T> {
    pub value: T,
    pub rule: String,
}

fn label<T>(value: T, rule: impl Into<String>) -> Label<T> {
    Label { value, rule: rule.into() }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Triage {
    pub language: Label<Language>,
    pub topic: Label<String>,
    pub urgent: Label<bool>,
    pub sentiment: Label<Sentiment>,
    pub intent: Label<Intent>,
    pub sales_lead: bool,
    pub needs_response: Label<bool>,
    pub priority: Label<Priority>,
}

/// The rule of a question intent set for want of anything more specific (no question asked,
/// nothing reported): in public, chatter (`channel::Inbound::needs_response`).
pub const NOTHING_SPECIFIC: &str = "nothing more specific";

const URGENT: &[&str] = &[
    "urgent",
    "urgently",
    "asap",
    "immediately",
    "emergency",
    "critical",
    "outage",
    "is down",
    "went down",
    "not working",
    "doesnt work",
    "does not work",
    "stopped working",
    "no internet",
    "no connection",
    "cannot connect",
    "cant connect",
    "right now",
    "down",
    "срочно",
    "срочный",
    "немедленно",
    "авария",
    "не работает",
    "перестал работать",
    "нет интернета",
    "нет связи",
    "пропал интернет",
    "пропала связь",
    "упал",
    "отключили",
    "критично",
    "прямо сейчас",
];
const PROBLEM: &[&str] = &[
    "error", "problem", "issue", "broken", "fails", "failed", "cannot", "cant", "unable", "doesnt", "not working",
    "wrong", "slow", "drops", "lost", "ошибка", "проблема", "не работает", "не могу", "не получается", "сломался",
    "тормозит", "медленно", "не грузит", "обрывается", "пропадает", "неправильно", "списали",
];
const COMPLAINT: &[&str] = &[
    "complaint", "complain", "refund", "money back", "unacceptable", "outrageous", "scam", "cancel my", "never again",
    "sue", "жалоба", "пожаловаться", "верните деньги", "возврат денег", "безобразие", "возмутительно", "обман",
    "расторгнуть", "претензия", "позор",
];
const PURCHASE: &[&str] = &[
    "buy",
    "purchase",
    "price",
    "pricing",
    "quote",
    "how much",
    "cost",
    "subscribe",
    "upgrade",
    "order",
    "discount",
    "offer",
    "connect my",
    "new connection",
    "sign up",
    "tariff",
    "plan for",
    "купить",
    "покупка",
    "цена",
    "стоимость",
    "сколько стоит",
    "подключить",
    "заказать",
    "скидка",
    "коммерческое",
    "оформить",
    "хочу подключить",
    "тариф для",
    "перейти на тариф",
];
const NEGATIVE: &[&str] = &[
    "bad", "terrible", "awful", "horrible", "worst", "angry", "disappointed", "unacceptable", "ridiculous", "hate",
    "annoyed", "frustrated", "useless", "scam", "fed up", "disgusting", "furious", "poor", "ужасно", "ужасный",
    "плохо", "плохой", "отвратительно", "безобразие", "возмутительно", "надоело", "бесит", "кошмар", "обман",
    "недоволен", "разочарован", "худший", "хамство", "позор", "издевательство", "достали",
];
const POSITIVE: &[&str] = &[
    "thank", "thanks", "great", "excellent", "awesome", "love", "perfect", "amazing", "happy", "good", "appreciate",
    "well done", "спасибо", "благодарю", "благодарность", "отлично", "отличный", "супер", "прекрасно", "замечательно",
    "доволен", "нравится", "хорошо", "молодцы", "помогли",
];
const NEGATORS: &[&str] = &[
    "not", "no", "never", "nothing", "without", "dont", "doesnt", "isnt", "cant", "cannot", "wont", "didnt", "wasnt",
    "не", "нет", "ни", "никогда", "без",
];
const QUESTION: &[&str] = &[
    "how", "what", "why", "when", "where", "which", "can i", "is it possible", "do you", "как", "что делать", "почему",
    "когда", "где", "какой", "можно ли", "подскажите", "есть ли",
];
/// Words that turn a friendly message into a request: "all good, but…", "I wanted to check…".
const REQUEST: &[&str] = &[
    "but", "however", "please", "check", "clarify", "wanted", "would like", "could", "need", "но", "однако",
    "пожалуйста", "прошу", "уточнить", "хотел", "хотела", "мог бы", "нужна", "нужно",
];
/// Built-in topics, used when the customer picked no category and the site added none.
const TOPICS: &[(&str, &[&str])] = &[
    (
        "billing",
        &[
            "payment", "pay", "invoice", "bill", "charge", "refund", "balance", "оплата", "оплатить", "платеж", "счет",
            "списали", "деньги", "баланс", "возврат",
        ],
    ),
    (
        "technical",
        &[
            "internet", "router", "wifi", "connection", "speed", "error", "интернет", "роутер", "wi-fi", "подключение",
            "скорость", "ошибка", "связь",
        ],
    ),
    ("account", &["login", "password", "account", "sign in", "логин", "пароль", "аккаунт", "кабинет", "вход"]),
    ("sales", &["price", "tariff", "plan", "buy", "upgrade", "тариф", "цена", "стоимость", "подключить", "купить"]),
];

/// Stems of the words, with [`CLAUSE`] between clauses so that neither a phrase nor a negation
/// reaches across a comma or a full stop.
fn stems_of(text: &str) -> Vec<String> {
    // "don't" → "dont": English negations stay one word.
    let text = text.replace(['\'', '’'], "");
    let chars: Vec<char> = text.chars().collect();
    let stemmers = Stemmers::get();
    let mut stems = Vec::new();
    let mut last_end = 0;
    for t in tokenize(&text) {
        if chars[last_end..t.start].iter().any(|c| ",.;:!?()".contains(*c)) && !stems.is_empty() {
            stems.push(CLAUSE.to_owned());
        }
        last_end = t.end;
        stems.push(stemmers.stem(&t.term));
    }
    stems
}

/// Marks a clause boundary among stems.
const CLAUSE: &str = "|";

/// A lexicon of phrases, each a run of stems.
#[derive(Clone)]
struct Lexicon {
    phrases: Vec<(String, Vec<String>)>,
}

impl Lexicon {
    fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lexicon = Lexicon { phrases: Vec::new() };
        lexicon.add(words);
        lexicon
    }

    fn add<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        for word in words {
            let stemmed = stems_of(word);
            // Forms of one word ("ужасно", "ужасный") share a stem: count it once.
            if !stemmed.is_empty() && !self.phrases.iter().any(|(_, p)| *p == stemmed) {
                self.phrases.push((word.to_owned(), stemmed));
            }
        }
    }

    /// This lexicon with a site's own words added; borrowed as it is when the site adds none.
    fn with<'a>(&'a self, extra: &[String]) -> Cow<'a, Lexicon> {
        if extra.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut extended = self.clone();
        extended.add(extra.iter().map(String::as_str));
        Cow::Owned(extended)
    }

    /// Every match: (position of its first word, the phrase as written).
    fn matches<'a>(&'a self, words: &'a [String]) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        (0..words.len()).flat_map(move |i| {
            self.phrases.iter().filter(move |(_, p)| words[i..].starts_with(p)).map(move |(w, _)| (i, w.as_str()))
        })
    }

    fn first(&self, words: &[String]) -> Option<String> {
        self.matches(words).next().map(|(_, w)| w.to_owned())
    }
}

/// The language by script: the script of most letters, if it has a clear majority.
fn detect_language(text: &str) -> Label<Language> {
    let scripts = Scripts::of(text);
    if scripts.letters == 0 {
        return label(Language::Other, "no letters");
    }
    let share = |n: usize| n * 100 / scripts.letters;
    if share(scripts.cyrillic) >= 60 {
        label(Language::Ru, format!("{}% Cyrillic letters", share(scripts.cyrillic)))
    } else if share(scripts.latin) >= 60 {
        label(Language::En, format!("{}% Latin letters", share(scripts.latin)))
    } else {
        label(Language::Other, "no script has 60% of the letters")
    }
}

/// Sentiment words, with a negator up to three words before flipping them.
fn detect_sentiment(words: &[String], negative: &Lexicon, positive: &Lexicon, negators: &Lexicon) -> Label<Sentiment> {
    let negated = |at: usize| {
        let before = &words[at.saturating_sub(3)..at];
        let clause = before.iter().rposition(|w| w == CLAUSE).map_or(before, |i| &before[i + 1..]);
        negators.matches(clause).next().is_some()
    };
    let mut score = 0i32;
    let mut reasons = Vec::new();
    for (lexicon, sign) in [(negative, -1), (positive, 1)] {
        for (at, phrase) in lexicon.matches(words) {
            let flip = negated(at);
            score += if flip { -sign } else { sign };
            reasons.push(if flip { format!("negated '{phrase}'") } else { format!("'{phrase}'") });
        }
    }
    let value = match score {
        s if s < 0 => Sentiment::Negative,
        0 => Sentiment::Neutral,
        _ => Sentiment::Positive,
    };
    let rule = if reasons.is_empty() {
        "no sentiment words".to_owned()
    } else {
        format!("score {score}: {}", reasons.join(", "))
    };
    label(value, rule)
}

/// The built-in lexicons, stemmed once per isolate: stemming them for every request cost
/// more than half a millisecond of each intake.
struct Builtin {
    urgent: Lexicon,
    purchase: Lexicon,
    negative: Lexicon,
    positive: Lexicon,
    negators: Lexicon,
    complaint: Lexicon,
    problem: Lexicon,
    question: Lexicon,
    request: Lexicon,
    topics: Vec<(&'static str, Lexicon)>,
}

impl Builtin {
    fn get() -> &'static Builtin {
        static BUILTIN: OnceLock<Builtin> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let lex = |words: &[&str]| Lexicon::new(words.iter().copied());
            Builtin {
                urgent: lex(URGENT),
                purchase: lex(PURCHASE),
                negative: lex(NEGATIVE),
                positive: lex(POSITIVE),
                negators: lex(NEGATORS),
                complaint: lex(COMPLAINT),
                problem: lex(PROBLEM),
                question: lex(QUESTION),
                request: lex(REQUEST),
                topics: TOPICS.iter().map(|(t, w)| (*t, lex(w))).collect(),
            }
        })
    }
}

/// Triage of a request. `category` is what the customer chose, if anything.
pub fn triage(subject: &str, message: &str, category: Option<&str>, site: &TriageKeywords) -> Triage {
    let text = format!("{subject}. {message}");
    let words = stems_of(&text);
    let builtin = Builtin::get();
    let urgent_lex = builtin.urgent.with(&site.urgent);
    let purchase_lex = builtin.purchase.with(&site.sales);
    let negative = builtin.negative.with(&site.negative);
    let positive = builtin.positive.with(&site.positive);

    let language = detect_language(&text);
    let sentiment = detect_sentiment(&words, &negative, &positive, &builtin.negators);
    let urgent = match urgent_lex.first(&words) {
        Some(w) => label(true, format!("urgency word '{w}'")),
        None => label(false, "no urgency word"),
    };
    let complaint = builtin.complaint.first(&words);
    let problem = builtin.problem.first(&words).or_else(|| urgent.value.then(|| "outage".to_owned()));
    let purchase = purchase_lex.first(&words);
    let asks = text.contains('?') || builtin.question.first(&words).is_some();
    let requests = asks || builtin.request.first(&words).is_some();

    let intent = if let Some(w) = complaint {
        label(Intent::Complaint, format!("complaint word '{w}'"))
    } else if let (Some(w), Sentiment::Negative) = (&problem, sentiment.value) {
        label(Intent::Complaint, format!("problem '{w}' with negative sentiment"))
    } else if let Some(w) = problem {
        label(Intent::Problem, format!("problem word '{w}'"))
    } else if sentiment.value == Sentiment::Negative {
        label(Intent::Complaint, "negative sentiment")
    } else if let Some(w) = purchase {
        label(Intent::Purchase, format!("purchase word '{w}'"))
    } else if sentiment.value == Sentiment::Positive && !requests {
        label(Intent::Praise, "positive words, no question or request")
    } else {
        label(Intent::Question, if asks { "a question" } else { NOTHING_SPECIFIC })
    };

    let needs_response = if intent.value == Intent::Praise {
        label(false, "praise without a question")
    } else {
        label(true, format!("intent {:?}", intent.value).to_lowercase())
    };

    let priority = match (urgent.value, intent.value, sentiment.value) {
        (true, _, Sentiment::Negative) | (true, Intent::Complaint, _) => {
            label(Priority::Urgent, "urgent and negative or a complaint")
        }
        (true, _, _) => label(Priority::High, "urgency word"),
        (_, Intent::Complaint, _) => label(Priority::High, "complaint"),
        (_, Intent::Praise, _) => label(Priority::Low, "praise"),
        _ => label(Priority::Normal, "default"),
    };

    let topic = match category.filter(|c| !c.is_empty()) {
        Some(c) => label(c.to_owned(), "category chosen by the customer"),
        None => infer_topic(&words, site),
    };

    Triage {
        language,
        topic,
        urgent,
        sentiment,
        sales_lead: intent.value == Intent::Purchase,
        intent,
        needs_response,
        priority,
    }
}

/// The topic whose words occur most: the site's topics first, then the built-in ones.
fn infer_topic(words: &[String], site: &TriageKeywords) -> Label<String> {
    let site_topics = site.topics.iter().map(|(t, w)| (t.as_str(), Lexicon::new(w.iter().map(String::as_str))));
    let builtin = Builtin::get().topics.iter().map(|(t, l)| (*t, Cow::Borrowed(l)));
    let mut best: Option<(usize, &str)> = None;
    for (topic, lexicon) in site_topics.map(|(t, l)| (t, Cow::Owned(l))).chain(builtin) {
        let hits = lexicon.matches(words).count();
        if hits > 0 && best.is_none_or(|(n, _)| hits > n) {
            best = Some((hits, topic));
        }
    }
    match best {
        Some((n, topic)) => label(topic.to_owned(), format!("{n} word(s) of topic '{topic}'")),
        None => label("general".to_owned(), "no topic words"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Triage {
        triage("", text, None, &TriageKeywords::default())
    }

    #[test]
    fn russian_inflections_meet_the_lexicon() {
        let a = t("Интернет не работал всю ночь, это ужасно!");
        assert_eq!(a.language.value, Language::Ru);
        assert!(a.urgent.value, "{:?}", a.urgent);
        assert_eq!(a.sentiment.value, Sentiment::Negative);
        assert_eq!(a.priority.value, Priority::Urgent);
        assert!(a.priority.rule.contains("urgent"));
        // "нет" negates within its clause only, and two forms of one word count once.
        let b = t("Со вчерашнего вечера нет интернета, это ужасно. Срочно почините!");
        assert_eq!(b.sentiment.rule, "score -1: 'ужасно'");
        assert_eq!(b.priority.value, Priority::Urgent);
    }

    #[test]
    fn negation_flips_sentiment() {
        assert_eq!(t("The speed is not good at all").sentiment.value, Sentiment::Negative);
        assert_eq!(t("Всё не так уж плохо").sentiment.value, Sentiment::Positive);
        assert_eq!(t("Thanks, everything works now!").intent.value, Intent::Praise);
        assert!(!t("Спасибо, всё заработало!").needs_response.value);
    }

    #[test]
    fn sales_leads_and_site_keywords() {
        let lead = t("How much does the 500 Mbit tariff cost for an office?");
        assert_eq!(lead.intent.value, Intent::Purchase);
        assert!(lead.sales_lead);
        let keywords = TriageKeywords { urgent: vec!["пожар".into()], ..TriageKeywords::default() };
        let fire = triage("", "У нас пожар в серверной", None, &keywords);
        assert!(fire.urgent.value);
        assert_eq!(fire.urgent.rule, "urgency word 'пожар'");
    }

    #[test]
    fn topic_from_category_or_words() {
        let chosen = triage("x", "y", Some("tv"), &TriageKeywords::default());
        assert_eq!(chosen.topic.value, "tv");
        assert_eq!(t("Списали деньги дважды за оплату").topic.value, "billing");
        assert_eq!(t("Hello there").topic.value, "general");
    }
}
