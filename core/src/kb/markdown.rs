//! Article Markdown to HTML, made safe at publish time: the only HTML that ever reaches a
//! browser from us. Raw HTML in the Markdown becomes visible text, links and images keep only
//! http(s), mailto and relative URLs, and the writer emits only the tags Markdown itself makes
//! (no script, style, iframe, no event attributes).

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::url::is_safe_link;

/// The article as sanitized HTML and as plain text (for search and snippets).
pub fn render(markdown: &str) -> (String, String) {
    let mut plain = String::new();
    let mut in_image = false;
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .filter_map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = if is_safe_link(&dest_url) { dest_url } else { CowStr::Borrowed("#") };
                Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_safe_link(&dest_url) => {
                in_image = true;
                None
            }
            Event::End(TagEnd::Image) if in_image => {
                in_image = false;
                None
            }
            other => Some(other),
        })
        .inspect(|event| match event {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !plain.ends_with(' ') && !plain.is_empty() => {
                plain.push(' ');
            }
            _ => {}
        })
        .collect();
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    (out, plain.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markdown_is_rendered_inert() {
        let (html, plain) = render(
            "# Hi\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
             [click](javascript:alert(3)) [tab](java\tscript:alert(4)) [ok](https://example.com/a?b=1) \
             [rel](/kb/x) ![pic](javascript:alert(5)) ![fine](https://example.com/p.png)\n\n\
             <iframe src=\"https://evil.example\"></iframe> <a href=\"javascript:alert(6)\" onclick=\"x()\">raw</a>",
        );
        // Text never holds a raw `<` (it is escaped), so every `<` opens a real tag: check them all.
        for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
            let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
            assert!(["h1", "p", "a", "img"].contains(&name), "unexpected tag <{tag}>");
            let lower = tag.to_lowercase();
            assert!(!lower.contains("javascript") && !lower.contains(" on"), "unsafe tag <{tag}>");
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "raw HTML shows as text: {html}");
        assert!(html.contains("<a href=\"https://example.com/a?b=1\">ok</a>"));
        assert!(html.contains("<a href=\"/kb/x\">rel</a>"));
        assert!(html.contains("<a href=\"#\">click</a>"));
        assert!(html.contains("<img src=\"https://example.com/p.png\" alt=\"fine\""));
        assert!(html.contains("<h1>Hi</h1>"));
        assert!(plain.starts_with("Hi "), "{plain}");
    }
}
