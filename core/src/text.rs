//! The text toolkit of search and triage, one of each: folding (NFKC, lowercase, `ё` as `е`),
//! word segmentation that keeps each word's place in the original text (so highlights can point
//! back into it), script detection, and Snowball stemmers chosen by script.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use crate::domain::Locale;

/// A word of a text: its folded form and its place in the original, in chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
}

/// Folds text for matching: NFKC (ligatures, full-width forms), lowercase, and `ё` as `е`
/// (Russian writers use them alike).
pub fn fold(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

/// Splits a text into words (runs of letters and digits), folded, with their char ranges.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    for (i, c) in text.chars().chain([' ']).enumerate() {
        if c.is_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            word.push(c);
        } else if !word.is_empty() {
            tokens.push(Token { term: fold(&word), start, end: i });
            word.clear();
        }
    }
    tokens
}

/// Cyrillic letters (the Unicode block; Russian and its neighbours).
pub fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Letters of a text by script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scripts {
    pub cyrillic: usize,
    pub latin: usize,
    /// All letters, of any script.
    pub letters: usize,
}

impl Scripts {
    pub fn of(text: &str) -> Scripts {
        let mut counts = Scripts::default();
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            counts.letters += 1;
            if is_cyrillic(c) {
                counts.cyrillic += 1;
            } else if c.is_ascii_alphabetic() {
                counts.latin += 1;
            }
        }
        counts
    }

    /// The language most letters are written for (Cyrillic wins a tie); `None` without
    /// Cyrillic or Latin letters. Short queries have no better signal than this.
    pub fn majority(self) -> Option<Locale> {
        match (self.cyrillic, self.latin) {
            (0, 0) => None,
            (c, l) if c >= l => Some(Locale::Ru),
            _ => Some(Locale::En),
        }
    }
}

/// Snowball stemmers: Russian for Cyrillic words, English for the rest, so a text in either
/// language is stemmed without knowing its language first.
pub struct Stemmers {
    ru: Stemmer,
    en: Stemmer,
}

impl Stemmers {
    /// The process's stemmers, made once.
    pub fn get() -> &'static Stemmers {
        static STEMMERS: OnceLock<Stemmers> = OnceLock::new();
        STEMMERS.get_or_init(|| Stemmers {
            ru: Stemmer::create(Algorithm::Russian),
            en: Stemmer::create(Algorithm::English),
        })
    }

    /// The stem of a folded word; numbers stay as they are.
    pub fn stem(&self, folded: &str) -> String {
        if folded.chars().all(|c| c.is_ascii_digit()) {
            return folded.to_owned();
        }
        let stemmer = if folded.chars().any(is_cyrillic) { &self.ru } else { &self.en };
        stemmer.stem(folded).into_owned()
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_folded_and_keep_char_positions() {
        let t = tokenize("Ёлка, Wi-Fi: 5 ГГц!");
        let terms: Vec<_> = t.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["елка", "wi", "fi", "5", "ггц"]);
        assert_eq!((t[4].start, t[4].end), (15, 18));
        assert_eq!(tokenize("ﬁle")[0].term, "file", "NFKC unfolds ligatures");
        assert_eq!(fold("ЁЛКА"), "елка");
        assert_eq!(escape_html("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    }

    #[test]
    fn scripts_and_stems() {
        assert_eq!(Scripts::of("роутер wifi").majority(), Some(Locale::Ru));
        assert_eq!(Scripts::of("router").majority(), Some(Locale::En));
        assert_eq!(Scripts::of("123").majority(), None);
        let s = Scripts::of("Привет, Bob!");
        assert_eq!((s.cyrillic, s.latin, s.letters), (6, 3, 9));
        let stems = Stemmers::get();
        assert_eq!(stems.stem("тарифов"), stems.stem("тарифы"));
        assert_eq!(stems.stem("routers"), stems.stem("router"));
        assert_eq!(stems.stem("2024"), "2024");
    }
}
