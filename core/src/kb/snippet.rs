//! Snippets: a window of an article's text around the words that matched, with the matched
//! words as char ranges (the widget draws them; no HTML ever comes from the server). The words'
//! places come from the index (`Span`), so cutting a snippet analyses nothing.

use super::index::Span;

/// Snippet length in chars.
const SNIPPET_CHARS: usize = 160;
/// Words that carry meaning kept before the first match, for context.
const LEAD_WORDS: usize = 3;

/// The window of `text` that starts a little before its first matching word, and the char
/// ranges (into the window) of every matching word in it. `spans` are the text's words that
/// carry meaning; `hit` says whether a word's term matched.
pub fn snippet(text: &str, spans: &[Span], hit: impl Fn(u32) -> bool) -> (String, Vec<[usize; 2]>) {
    let hits: Vec<bool> = spans.iter().map(|s| hit(s.term)).collect();
    let first = hits.iter().position(|h| *h).unwrap_or(0);
    // A match near the beginning shows the text from its start.
    let start = if first <= LEAD_WORDS { 0 } else { spans[first - LEAD_WORDS].start as usize };
    let chars: Vec<char> = text.chars().collect();
    let start = start.min(chars.len());
    let mut end = (start + SNIPPET_CHARS).min(chars.len());
    // End on a word boundary when the window cuts a word.
    let inside = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric());
    if inside(end) {
        while end > start && inside(end - 1) {
            end -= 1;
        }
    }
    let mut window: String = chars[start..end].iter().collect::<String>().trim_end().to_owned();
    let mut prefix = 0;
    if start > 0 {
        window.insert(0, '…');
        prefix = 1;
    }
    if end < chars.len() {
        window.push('…');
    }
    let highlights = spans
        .iter()
        .zip(&hits)
        .filter(|(s, h)| **h && s.start as usize >= start && s.end as usize <= end)
        .map(|(s, _)| [s.start as usize - start + prefix, s.end as usize - start + prefix])
        .collect();
    (window, highlights)
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

/// Whether a query has nothing to search for: no ASCII letter or digit and nothing outside ASCII
/// but spaces. Any other non-ASCII character counts as a letter, so that the widget, which asks
/// this on every keystroke, carries no Unicode tables (`char::is_alphanumeric` brings 2 KB of
/// them to its first screen): a query of only `«»` or `—` is sent and finds nothing.
pub fn is_blank(query: &str) -> bool {
    !query.chars().any(|c| c.is_ascii_alphanumeric() || !(c.is_ascii() || c.is_whitespace()))
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
        assert!(is_blank("  ?! \u{a0}"));
        assert!(!is_blank(" ё ") && !is_blank("7"));
    }

    #[test]
    fn windows_have_ellipses_and_ranges_fit() {
        let body = format!("{} ключевое слово {}", "начало ".repeat(50), "конец ".repeat(50));
        let spans: Vec<Span> = crate::text::tokenize(&body)
            .iter()
            .map(|t| Span { start: t.start as u32, end: t.end as u32, term: u32::from(t.term == "ключевое") })
            .collect();
        let (text, ranges) = snippet(&body, &spans, |term| term == 1);
        assert!(text.starts_with('…') && text.ends_with('…'));
        let chars: Vec<char> = text.chars().collect();
        let words: Vec<String> = ranges.iter().map(|[s, e]| chars[*s..*e].iter().collect()).collect();
        assert_eq!(words, ["ключевое"]);
    }
}
