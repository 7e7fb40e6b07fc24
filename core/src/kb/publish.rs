//! A knowledge-base publish turned into what is stored and what is indexed: each article in its
//! language (the site's default when it names none), its Markdown rendered safe, its tags
//! trimmed, its public URL, and its plain text for the index.

use super::index::Article;
use super::markdown::render;
use crate::domain::Locale;
use crate::wire::KbPublish;

/// An article as stored for `GET …/kb/articles/{id}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredArticle {
    pub id: String,
    pub locale: Locale,
    pub title: String,
    /// Sanitized at publish time: the only HTML the widget ever renders.
    pub html: String,
    pub tags: Vec<String>,
    pub category: Option<String>,
    /// `YYYY-MM-DD`.
    pub updated: String,
}

/// Where the widget fetches an article.
pub fn article_url(site: &str, id: &str, locale: Locale) -> String {
    format!("/v1/sites/{site}/kb/articles/{id}?locale={}", locale.tag())
}

/// Where a person reads article `id` as a page of its own (links in agents' replies).
pub fn article_page(site: &str, id: &str, locale: Locale) -> String {
    format!("/kb/{site}/{id}?locale={}", locale.tag())
}

/// The stored rows and the index's documents of a (validated) publish; `today` (`YYYY-MM-DD`)
/// dates articles that carry no date.
pub fn prepare(kb: &KbPublish, site: &str, default_locale: Locale, today: &str) -> (Vec<StoredArticle>, Vec<Article>) {
    kb.articles
        .iter()
        .map(|a| {
            let locale = a.locale.unwrap_or(default_locale);
            let (html, plain) = render(&a.body_markdown);
            let tags: Vec<String> = a.tags.iter().map(|t| t.trim().to_owned()).collect();
            let title = a.title.trim().to_owned();
            let stored = StoredArticle {
                id: a.id.clone(),
                locale,
                title: title.clone(),
                html,
                tags: tags.clone(),
                category: a.category.clone(),
                updated: a.updated.clone().unwrap_or_else(|| today.to_owned()),
            };
            let questions = a.questions.iter().map(|q| q.trim().to_owned()).collect();
            let url = article_url(site, &a.id, locale);
            let category = a.category.clone();
            let indexed = Article { url, id: a.id.clone(), locale, title, tags, body: plain, questions, category };
            (stored, indexed)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::KbArticleIn;

    #[test]
    fn articles_get_a_language_a_date_and_safe_html() {
        let kb = KbPublish {
            articles: vec![
                KbArticleIn {
                    id: "router".into(),
                    title: " Router ".into(),
                    body_markdown: "Press **reset**. <script>x</script>".into(),
                    tags: vec![" wifi ".into()],
                    ..KbArticleIn::default()
                },
                KbArticleIn {
                    id: "tariffs".into(),
                    locale: Some(Locale::En),
                    title: "Tariffs".into(),
                    updated: Some("2026-01-02".into()),
                    questions: vec![" How do I pay? ".into()],
                    ..KbArticleIn::default()
                },
            ],
            allow_empty: false,
        };
        let (stored, indexed) = prepare(&kb, "demo", Locale::Ru, "2026-11-30");
        assert_eq!((stored[0].locale, stored[0].updated.as_str()), (Locale::Ru, "2026-11-30"));
        assert_eq!((stored[0].title.as_str(), stored[0].tags.as_slice()), ("Router", ["wifi".to_owned()].as_slice()));
        assert!(stored[0].html.contains("<strong>reset</strong>") && !stored[0].html.contains("<script"));
        assert_eq!(indexed[0].body, "Press reset . <script>x</script>", "raw HTML is text to search");
        assert_eq!(indexed[0].url, "/v1/sites/demo/kb/articles/router?locale=ru");
        assert_eq!((stored[1].locale, stored[1].updated.as_str()), (Locale::En, "2026-01-02"));
        assert_eq!(indexed[1].questions, ["How do I pay?"], "questions are trimmed");
    }
}
