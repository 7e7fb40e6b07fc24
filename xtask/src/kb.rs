//! The demo knowledge base in `kb/<site>/<locale>/*.md` (Markdown with a front matter of `id`,
//! `title`, `tags`, `category`, `updated`), and `cargo xtask kb publish`, which sends it to a
//! worker with `PUT /v1/admin/sites/{site}/kb`.

use std::fs;

use tabdesk_core::domain::Locale;
use tabdesk_core::wire::{KbArticleIn, KbPublish, KbPublished};

use crate::{root, Result};

/// Splits `---\nkey: value\n---\nbody` into an article.
fn parse(text: &str, locale: Locale, file: &str) -> Result<KbArticleIn> {
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
    Ok(KbArticleIn {
        id: field("id")?,
        locale: Some(locale),
        title: field("title")?,
        body_markdown: body.trim().to_owned(),
        tags,
        category: Some(field("category")?),
        updated: Some(field("updated")?),
        questions: Vec::new(),
    })
}

/// Every article of `site`, in a stable order.
pub fn load(site: &str) -> Result<KbPublish> {
    let mut articles = Vec::new();
    let dir = root().join("kb").join(site);
    let mut locales: Vec<_> =
        fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?.collect::<std::io::Result<_>>()?;
    locales.sort_by_key(|l| l.file_name());
    for folder in locales {
        let name = folder.file_name().to_string_lossy().into_owned();
        let locale = Locale::from_tag(&name).ok_or_else(|| format!("kb/{site}/{name}: not a language we speak"))?;
        let mut files: Vec<_> = fs::read_dir(folder.path())?.collect::<std::io::Result<_>>()?;
        files.sort_by_key(|f| f.file_name());
        for file in files.into_iter().filter(|f| f.path().extension().is_some_and(|e| e == "md")) {
            let path = file.path().display().to_string();
            articles.push(parse(&fs::read_to_string(file.path())?, locale, &path)?);
        }
    }
    Ok(KbPublish { articles, allow_empty: false })
}

/// Publishes `kb/<site>` to the worker at `base` as the site's agent.
pub fn publish(base: &str, site: &str, token: &str) -> Result<KbPublished> {
    publish_kb(base, site, token, &load(site)?)
}

/// Publishes `kb` as `site`'s knowledge base to the worker at `base`.
pub fn publish_kb(base: &str, site: &str, token: &str, kb: &KbPublish) -> Result<KbPublished> {
    let mut response = ureq::put(format!("{base}/v1/admin/sites/{site}/kb"))
        .config()
        .http_status_as_error(false)
        .build()
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(serde_json::to_string(kb)?.as_bytes())
        .map_err(|e| format!("publishing to {base}: {e}"))?;
    let body = response.body_mut().read_to_string()?;
    if response.status() != 200 {
        return Err(format!("publishing to {base}: {} {body}", response.status()).into());
    }
    let published: KbPublished = serde_json::from_str(&body)?;
    println!(
        "    published {} articles of {site} (index {} bytes, version {})",
        published.articles, published.index_bytes, published.version
    );
    Ok(published)
}

/// `cargo xtask kb publish --site demo [--to URL] [--token TOKEN]`.
pub fn command(args: &[String]) -> Result {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    if args.first().map(String::as_str) != Some("publish") {
        return Err("usage: cargo xtask kb publish --site SITE [--to URL] [--token TOKEN]".into());
    }
    let site = flag("--site").unwrap_or_else(|| "demo".into());
    let to = flag("--to").unwrap_or_else(|| "http://127.0.0.1:8787".into());
    let token = flag("--token")
        .or_else(|| std::env::var("TABDESK_ADMIN_TOKEN").ok())
        .ok_or("give the site's admin token with --token or TABDESK_ADMIN_TOKEN")?;
    publish(&to, &site, &token).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter() {
        let a = parse(
            "---\nid: wifi\ntitle: Wi-Fi\ntags: [router, wifi]\ncategory: equipment\nupdated: 2026-11-01\n---\n# Setup\n\n- Press **WPS**.\n",
            Locale::En,
            "x.md",
        )
        .unwrap();
        assert_eq!(a.id, "wifi");
        assert_eq!(a.tags, ["router", "wifi"]);
        assert_eq!(a.body_markdown, "# Setup\n\n- Press **WPS**.");
        assert!(parse("no front matter", Locale::En, "y.md").is_err());
    }

    #[test]
    fn the_demo_knowledge_base_is_complete_and_valid() {
        let kb = load("demo").unwrap();
        for locale in Locale::ALL {
            let n = kb.articles.iter().filter(|a| a.locale == Some(locale)).count();
            assert!(n >= 30, "{n} articles in {locale:?}");
        }
        let errors = tabdesk_core::validate::validate_publish(&kb, &Locale::ALL);
        assert!(errors.is_empty(), "{errors:?}");
    }
}
