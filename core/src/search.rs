//! Knowledge-base search for the first slice: folded words, exact and prefix matches, title
//! weighted over tags over body, and a snippet with highlight ranges. The full engine
//! (stemming, typo tolerance, BM25F, a prebuilt index) replaces the scoring here.

use crate::text::{tokenize, Token};
use crate::wire::SearchHit;

/// An article as search sees it: plain text, no markup.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub tags: Vec<String>,
    pub body: String,
    pub url: String,
}

const TITLE_WEIGHT: f32 = 3.0;
const TAG_WEIGHT: f32 = 2.0;
const BODY_WEIGHT: f32 = 1.0;
/// A word that only starts like the query word counts for less than the word itself.
const PREFIX_FACTOR: f32 = 0.6;
/// Shortest query word matched as a prefix; shorter ones must match whole words.
const MIN_PREFIX: usize = 2;
/// Snippet length in chars.
const SNIPPET_CHARS: usize = 160;
/// Words of context kept before the first match in a snippet.
const SNIPPET_LEAD: usize = 4;

/// How well `term` (from the query) matches a word of the document.
fn term_match(query: &str, word: &str, is_last: bool) -> f32 {
    if word == query {
        1.0
    } else if (is_last || query.chars().count() >= 4) && query.chars().count() >= MIN_PREFIX && word.starts_with(query)
    {
        PREFIX_FACTOR
    } else {
        0.0
    }
}

fn field_score(query: &[String], words: &[Token]) -> Vec<f32> {
    query
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let last = i + 1 == query.len();
            words.iter().map(|w| term_match(q, &w.term, last)).fold(0.0, f32::max)
        })
        .collect()
}

/// Ranks `docs` for `query`; returns at most `limit` hits and the number of matching documents.
pub fn search(docs: &[Document], query: &str, limit: usize) -> (Vec<SearchHit>, usize) {
    let terms: Vec<String> = tokenize(query).into_iter().map(|t| t.term).collect();
    if terms.is_empty() {
        return (Vec::new(), 0);
    }
    let mut scored: Vec<(f32, &Document, Vec<Token>)> = docs
        .iter()
        .filter_map(|doc| {
            let title = field_score(&terms, &tokenize(&doc.title));
            let tags = field_score(&terms, &tokenize(&doc.tags.join(" ")));
            let body_words = tokenize(&doc.body);
            let body = field_score(&terms, &body_words);
            let mut matched = 0;
            let mut score = 0.0;
            for i in 0..terms.len() {
                let best = (title[i] * TITLE_WEIGHT).max(tags[i] * TAG_WEIGHT).max(body[i] * BODY_WEIGHT);
                if best > 0.0 {
                    matched += 1;
                }
                score += best;
            }
            // Documents matching more of the query come first, whatever the weights say.
            (matched > 0).then_some((score + 10.0 * matched as f32, doc, body_words))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let total = scored.len();
    let hits = scored
        .into_iter()
        .take(limit)
        .map(|(score, doc, words)| {
            let (snippet, highlights) = snippet(&doc.body, &words, &terms);
            SearchHit { id: doc.id.clone(), title: doc.title.clone(), snippet, highlights, url: doc.url.clone(), score }
        })
        .collect();
    (hits, total)
}

/// A window of the body around the first matching word, and the char ranges of the matching
/// words inside it.
fn snippet(body: &str, words: &[Token], terms: &[String]) -> (String, Vec<[usize; 2]>) {
    let is_hit = |w: &Token| terms.iter().enumerate().any(|(i, q)| term_match(q, &w.term, i + 1 == terms.len()) > 0.0);
    let first = words.iter().position(is_hit).unwrap_or(0);
    let start = words.get(first.saturating_sub(SNIPPET_LEAD)).map_or(0, |w| w.start);
    let chars: Vec<char> = body.chars().collect();
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut prefix = 0;
    if start > 0 {
        text.insert(0, '…');
        prefix = 1;
    }
    if end < chars.len() {
        text.push('…');
    }
    let highlights = words
        .iter()
        .filter(|w| w.start >= start && w.end <= end && is_hit(w))
        .map(|w| [w.start - start + prefix, w.end - start + prefix])
        .collect();
    (text, highlights)
}

/// Splits a snippet into runs of plain and highlighted text, for rendering as text nodes.
/// Ranges out of order, overlapping or out of bounds are clipped, never trusted.
pub fn highlight_runs(snippet: &str, ranges: &[[usize; 2]]) -> Vec<(String, bool)> {
    let chars: Vec<char> = snippet.chars().collect();
    let mut runs = Vec::new();
    let mut at = 0;
    for &[start, end] in ranges {
        let (start, end) = (start.clamp(at, chars.len()), end.min(chars.len()));
        if start >= end {
            continue;
        }
        if start > at {
            runs.push((chars[at..start].iter().collect(), false));
        }
        runs.push((chars[start..end].iter().collect(), true));
        at = end;
    }
    if at < chars.len() {
        runs.push((chars[at..].iter().collect(), false));
    }
    runs
}

/// Whether a query has anything to search for.
pub fn is_blank(query: &str) -> bool {
    !query.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str, body: &str) -> Document {
        Document { id: id.into(), title: title.into(), tags: vec![], body: body.into(), url: format!("/kb/{id}") }
    }

    #[test]
    fn title_beats_body_and_prefix_matches_while_typing() {
        let docs = [
            doc("a", "Payments", "How to pay for the router rental."),
            doc("b", "Router setup", "Plug the router in and wait."),
        ];
        let (hits, total) = search(&docs, "rout", 10);
        assert_eq!(total, 2);
        assert_eq!(hits[0].id, "b");
        let (hits, _) = search(&docs, "РОУТЕР", 10);
        assert!(hits.is_empty());
    }

    #[test]
    fn highlights_point_into_the_snippet() {
        let docs =
            [doc("ru", "Настройка роутера", "Если интернет не работает, перезагрузите роутер и проверьте кабель.")];
        let (hits, _) = search(&docs, "Роутер", 10);
        let hit = &hits[0];
        let chars: Vec<char> = hit.snippet.chars().collect();
        let words: Vec<String> = hit.highlights.iter().map(|[s, e]| chars[*s..*e].iter().collect()).collect();
        assert_eq!(words, ["роутер"]);
    }

    #[test]
    fn highlight_runs_split_and_clip() {
        let runs = highlight_runs("ab роутер cd", &[[3, 9], [2, 4], [11, 99]]);
        let expect = [("ab ", false), ("роутер", true), (" c", false), ("d", true)];
        let expect: Vec<(String, bool)> = expect.iter().map(|(s, h)| (s.to_string(), *h)).collect();
        assert_eq!(runs, expect);
    }

    #[test]
    fn long_bodies_get_an_ellipsis_window() {
        let body = format!("{} ключевое слово {}", "начало ".repeat(50), "конец ".repeat(50));
        let (hits, _) = search(&[doc("x", "X", &body)], "ключевое", 1);
        assert!(hits[0].snippet.starts_with('…') && hits[0].snippet.ends_with('…'));
        assert_eq!(hits[0].highlights.len(), 1);
        assert!(is_blank("  ?! "));
    }
}
