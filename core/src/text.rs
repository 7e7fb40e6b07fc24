//! Text analysis shared by search and triage: case folding and word segmentation that keeps
//! each word's position in the original text, so highlights can point back into it.

/// A word of a text: its folded form and its place in the original, in chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
}

/// Folds one char for matching: lowercase, and `ё` as `е` (Russian writers use them alike).
fn fold(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        out.push(if l == 'ё' { 'е' } else { l });
    }
}

/// Splits a text into words (runs of letters and digits) with their char ranges.
pub fn tokenize(s: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current: Option<Token> = None;
    for (i, c) in s.chars().enumerate() {
        if c.is_alphanumeric() {
            let token = current.get_or_insert_with(|| Token { term: String::new(), start: i, end: i });
            fold(c, &mut token.term);
            token.end = i + 1;
        } else if let Some(token) = current.take() {
            tokens.push(token);
        }
    }
    tokens.extend(current);
    tokens
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
    fn tokens_keep_char_positions() {
        let t = tokenize("Ёлка, Wi-Fi: 5 ГГц!");
        let terms: Vec<_> = t.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["елка", "wi", "fi", "5", "ггц"]);
        assert_eq!((t[4].start, t[4].end), (15, 18));
        assert_eq!(escape_html("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    }
}
