//! Text analysis for the knowledge base: words with their places in the original text, folded
//! (NFKC, lowercase, `ё` as `е`), stop words dropped, and Snowball stems by script (Cyrillic
//! words with the Russian stemmer, Latin ones with the English), so a query in either language
//! meets articles in it without knowing the language first.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use crate::locale::Locale;
use crate::text::tokenize;

/// A word of a text: its folded form, its stem, and its char range in the original.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub folded: String,
    pub stem: String,
    pub start: usize,
    pub end: usize,
}

const STOP_EN: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "has", "have", "i", "if", "in", "is",
    "it", "its", "me", "my", "of", "on", "or", "so", "that", "the", "this", "to", "was", "we", "with", "you", "your",
    "can", "will", "would", "there", "what", "how", "when", "where", "which", "who", "why", "am", "been", "being",
    "our", "us", "they", "them", "their", "he", "she", "his", "her", "but", "just", "some", "any",
];
const STOP_RU: &[&str] = &[
    "и", "в", "во", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его", "но", "да", "ты",
    "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "мне", "было", "вот", "от", "меня", "еще", "о", "из",
    "ему", "теперь", "когда", "даже", "ну", "ли", "если", "уже", "или", "ни", "быть", "был", "него", "до", "вас",
    "нибудь", "уж", "вам", "ведь", "там", "потом", "себя", "ничего", "ей", "может", "они", "тут", "где", "есть",
    "надо", "ней", "для", "мы", "тебя", "их", "чем", "была", "сам", "чтоб", "без", "будто", "чего", "раз", "тоже",
    "себе", "под", "будет", "ж", "тогда", "кто", "этот", "того", "потому", "этого", "какой", "совсем", "ним", "здесь",
    "этом", "один", "почти", "мой", "тем", "чтобы", "нее", "сейчас", "были", "куда", "зачем", "всех", "можно", "при",
    "об", "хоть", "после", "над", "больше", "тот", "через", "эти", "нас", "про", "всего", "них", "какая", "много",
    "разве", "эту", "моя", "впрочем", "свою", "этой", "перед", "иногда", "лучше", "чуть", "том", "нельзя", "такой",
    "им", "более", "всегда", "конечно", "всю", "между", "это", "ваш", "ваша",
];

// Negations ("not", "no", «не», «нет») are not stop words: "card not working" is its own question.

/// Folds one word for matching.
pub fn fold(term: &str) -> String {
    term.nfkc().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

pub fn is_stop_word(folded: &str) -> bool {
    let list = if is_cyrillic(folded) { STOP_RU } else { STOP_EN };
    list.contains(&folded)
}

/// The stemmers, made once per index or query batch.
pub struct Analyzer {
    ru: Stemmer,
    en: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer { ru: Stemmer::create(Algorithm::Russian), en: Stemmer::create(Algorithm::English) }
    }
}

impl Analyzer {
    pub fn stem(&self, folded: &str) -> String {
        if folded.chars().all(|c| c.is_ascii_digit()) {
            return folded.to_owned();
        }
        let stemmer = if is_cyrillic(folded) { &self.ru } else { &self.en };
        stemmer.stem(folded).into_owned()
    }

    /// The words of a text, stop words included (snippets need to see them).
    pub fn words(&self, text: &str) -> Vec<Word> {
        tokenize(text)
            .into_iter()
            .map(|t| {
                let folded = fold(&t.term);
                Word { stem: self.stem(&folded), folded, start: t.start, end: t.end }
            })
            .collect()
    }

    /// The stems a text is indexed under: no stop words.
    pub fn index_terms(&self, text: &str) -> Vec<String> {
        self.words(text).into_iter().filter(|w| !is_stop_word(&w.folded)).map(|w| w.stem).collect()
    }
}

/// The language a query is written in, by script; `None` when it has no letters.
pub fn query_language(query: &str) -> Option<Locale> {
    let (mut cyrillic, mut latin) = (0, 0);
    for c in query.chars() {
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyrillic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    match (cyrillic, latin) {
        (0, 0) => None,
        (c, l) if c >= l => Some(Locale::Ru),
        _ => Some(Locale::En),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_stems_by_script() {
        let a = Analyzer::default();
        assert_eq!(fold("ЁЛКА"), "елка");
        assert_eq!(fold("ﬁle"), "file", "NFKC unfolds ligatures");
        assert_eq!(a.stem("тарифов"), a.stem("тарифы"));
        assert_eq!(a.stem("routers"), a.stem("router"));
        assert_eq!(a.index_terms("Как оплатить счёт за интернет?"), ["оплат", "счет", "интернет"]);
        assert_eq!(query_language("роутер wifi"), Some(Locale::Ru));
        assert_eq!(query_language("router"), Some(Locale::En));
        assert_eq!(query_language("123"), None);
    }
}
