//! Text analysis for the knowledge base, on top of the shared toolkit in [`crate::text`]: the
//! words of a text with their stems and places, stop words, and a query's language.

use crate::domain::Locale;
use crate::text::{is_cyrillic, tokenize, Scripts, Stemmers};

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

/// Negations are not stop words ("card not working" is its own question), but they say nothing
/// on their own: a snippet never highlights them.
const NEGATIONS: &[&str] = &["не", "нет", "ни", "not", "no", "nor", "don", "doesn", "didn", "t"];

pub fn is_stop_word(folded: &str) -> bool {
    let list = if folded.chars().any(is_cyrillic) { STOP_RU } else { STOP_EN };
    list.contains(&folded)
}

/// Whether a word is worth highlighting: neither a stop word nor a negation.
pub fn carries_meaning(folded: &str) -> bool {
    !is_stop_word(folded) && !NEGATIONS.contains(&folded)
}

/// The knowledge base's view of a text: words with their stems, and the stems it is indexed
/// under (stop words dropped).
#[derive(Clone, Copy)]
pub struct Analyzer {
    stemmers: &'static Stemmers,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer { stemmers: Stemmers::get() }
    }
}

impl Analyzer {
    pub fn stem(&self, folded: &str) -> String {
        self.stemmers.stem(folded)
    }

    /// The words of a text, stop words included (snippets need to see them).
    pub fn words(&self, text: &str) -> Vec<Word> {
        tokenize(text)
            .into_iter()
            .map(|t| Word { stem: self.stem(&t.term), folded: t.term, start: t.start, end: t.end })
            .collect()
    }

    /// The stems a text is indexed under: no stop words.
    pub fn index_terms(&self, text: &str) -> Vec<String> {
        self.words(text).into_iter().filter(|w| !is_stop_word(&w.folded)).map(|w| w.stem).collect()
    }
}

/// The language a query is written in, by script; `None` when it has no letters.
pub fn query_language(query: &str) -> Option<Locale> {
    Scripts::of(query).majority()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_stems_by_script() {
        let a = Analyzer::default();
        assert_eq!(a.stem("тарифов"), a.stem("тарифы"));
        assert_eq!(a.stem("routers"), a.stem("router"));
        assert_eq!(a.index_terms("Как оплатить счёт за интернет?"), ["оплат", "счет", "интернет"]);
        assert_eq!(query_language("роутер wifi"), Some(Locale::Ru));
        assert_eq!(query_language("router"), Some(Locale::En));
        assert_eq!(query_language("123"), None);
    }
}
