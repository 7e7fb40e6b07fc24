//! The demo knowledge base in `kb/<site>/<locale>/*.md`: Markdown with a front matter of
//! `id`, `title`, `tags`, `category`, `updated`.

use std::fs;

use crate::{root, Result};

pub struct Article {
    pub id: String,
    pub locale: String,
    pub title: String,
    pub tags: Vec<String>,
    pub updated: String,
    pub body: String,
}

/// Splits `---\nkey: value\n---\nbody` into its fields and body.
fn parse(text: &str, locale: &str, file: &str) -> Result<Article> {
    let rest = text.strip_prefix("---\n").ok_or_else(|| format!("{file}: no front matter"))?;
    let (head, body) = rest.split_once("\n---\n").ok_or_else(|| format!("{file}: front matter is not closed"))?;
    let field = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_owned())
            .ok_or_else(|| format!("{file}: front matter has no `{name}`"))
    };
    let tags = field("tags")?
        .trim_matches(['[', ']'])
        .split(',')
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    Ok(Article {
        id: field("id")?,
        locale: locale.to_owned(),
        title: field("title")?,
        tags,
        updated: field("updated")?,
        body: body.trim().to_owned(),
    })
}

/// Markdown reduced to the text a reader sees, for search and snippets.
fn plain_text(markdown: &str) -> String {
    markdown
        .lines()
        .map(|l| l.trim_start_matches(['#', '-', '*', '>', ' ']).replace(['*', '`', '_'], ""))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn load(site: &str) -> Result<Vec<Article>> {
    let mut articles = Vec::new();
    let dir = root().join("kb").join(site);
    for locale in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let locale = locale?;
        let tag = locale.file_name().to_string_lossy().into_owned();
        let mut files: Vec<_> = fs::read_dir(locale.path())?.collect::<std::io::Result<_>>()?;
        files.sort_by_key(|f| f.file_name());
        for file in files.into_iter().filter(|f| f.path().extension().is_some_and(|e| e == "md")) {
            let name = file.path().display().to_string();
            articles.push(parse(&fs::read_to_string(file.path())?, &tag, &name)?);
        }
    }
    Ok(articles)
}

/// SQL that replaces `site`'s articles with the ones in `kb/<site>`.
pub fn demo_articles_sql(site: &str, quote: fn(&str) -> String) -> Result<String> {
    let mut sql = format!("DELETE FROM kb_articles WHERE site_id = {};\n", quote(site));
    for a in load(site)? {
        let tags = serde_json::to_string(&a.tags)?;
        sql.push_str(&format!(
            "INSERT INTO kb_articles (site_id, id, locale, title, body, tags, updated_at) VALUES ({}, {}, {}, {}, {}, {}, {});\n",
            quote(site),
            quote(&a.id),
            quote(&a.locale),
            quote(&a.title),
            quote(&plain_text(&a.body)),
            quote(&tags),
            quote(&a.updated),
        ));
    }
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_flattens_markdown() {
        let a = parse(
            "---\nid: wifi\ntitle: Wi-Fi\ntags: [router, wifi]\ncategory: equipment\nupdated: 2026-11-01\n---\n# Setup\n\n- Press **WPS**.\n",
            "en",
            "x.md",
        )
        .unwrap();
        assert_eq!(a.id, "wifi");
        assert_eq!(a.tags, ["router", "wifi"]);
        assert_eq!(plain_text(&a.body), "Setup Press WPS.");
        assert!(parse("no front matter", "en", "y.md").is_err());
    }

    #[test]
    fn the_demo_knowledge_base_loads() {
        let articles = load("demo").unwrap();
        assert!(articles.iter().any(|a| a.locale == "ru"));
        assert!(articles.iter().any(|a| a.locale == "en"));
    }
}
