//! The strings of the worker's own pages, apart from `Strings`: no browser app shows them.

use crate::domain::Locale;

/// The worker's own pages (the embed page's title, a missing site or article).
#[derive(Debug)]
pub struct PageStrings {
    pub launcher: &'static str,
    pub unknown_site: &'static str,
    pub article_missing: &'static str,
    pub unknown_site_detail: &'static str,
}

const PAGE_EN: PageStrings = PageStrings {
    launcher: "Support",
    unknown_site: "Support is not available",
    article_missing: "There is no such article (any more).",
    unknown_site_detail: "This support tab is not set up. Please contact the site owner.",
};

const PAGE_RU: PageStrings = PageStrings {
    launcher: "Поддержка",
    unknown_site: "Поддержка недоступна",
    article_missing: "Такой статьи нет (или её убрали).",
    unknown_site_detail: "Вкладка поддержки не настроена. Обратитесь к владельцу сайта.",
};

/// The fixed strings of the worker's pages in `locale`.
pub fn page_strings(locale: Locale) -> &'static PageStrings {
    super::by_locale(locale, &PAGE_EN, &PAGE_RU)
}
