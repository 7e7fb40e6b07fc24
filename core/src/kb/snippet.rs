//! Snippets: a window of an article's text around the words that matched, with the matched
//! words as char ranges (the widget draws them; no HTML ever comes from the server).

use super::analyze::Analyzer;

/// Snippet length in chars.
const SNIPPET_CHARS: usize = 160;
/// Words of context kept before the first match.
const LEAD_WORDS: usize = 4;

/// The window of `body` that starts a little before its first matching word, and the char
/// ranges (into the window) of every matching word in it. `hit` says whether a stem matched.
pub fn snippet(analyzer: &Analyzer, body: &str, hit: impl Fn(&str) -> bool) -> (String, Vec<[usize; 2]>) {
    let words = analyzer.words(body);
    let hits: Vec<bool> = words.iter().map(|w| hit(&w.stem)).collect();
    let first = hits.iter().position(|h| *h).unwrap_or(0);
    let start = words.get(first.saturating_sub(LEAD_WORDS)).map_or(0, |w| w.start);
    let chars: Vec<char> = body.chars().collect();
    let mut end = (start + SNIPPET_CHARS).min(chars.len());
    // End on a word boundary when the window cuts a word.
    if let Some(w) = words.iter().find(|w| w.start < end && w.end > end) {
        end = w.start;
    }
    let mut text: String = chars[start..end].iter().collect::<String>().trim_end().to_owned();
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
        .zip(&hits)
        .filter(|(w, h)| **h && w.start >= start && w.end <= end)
        .map(|(w, _)| [w.start - start + prefix, w.end - start + prefix])
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

    #[test]
    fn highlight_runs_split_and_clip() {
        let runs = highlight_runs("ab роутер cd", &[[3, 9], [2, 4], [11, 99]]);
        let expect = [("ab ", false), ("роутер", true), (" c", false), ("d", true)];
        let expect: Vec<(String, bool)> = expect.iter().map(|(s, h)| (s.to_string(), *h)).collect();
        assert_eq!(runs, expect);
        assert!(is_blank("  ?! "));
    }

    #[test]
    fn windows_have_ellipses_and_ranges_fit() {
        let a = Analyzer::default();
        let body = format!("{} ключевое слово {}", "начало ".repeat(50), "конец ".repeat(50));
        let stem = a.stem("ключевое");
        let (text, ranges) = snippet(&a, &body, |s| s == stem);
        assert!(text.starts_with('…') && text.ends_with('…'));
        let chars: Vec<char> = text.chars().collect();
        let words: Vec<String> = ranges.iter().map(|[s, e]| chars[*s..*e].iter().collect()).collect();
        assert_eq!(words, ["ключевое"]);
    }
}
