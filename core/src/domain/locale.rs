//! The languages Tabdesk speaks to customers, and how to pick one from what a browser says.

use serde::{Deserialize, Serialize};

/// A user-facing language. Every user-facing string exists in each of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Ru,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ru];

    /// The BCP 47 primary tag, as used in `lang` attributes and URLs.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    /// Reads a language tag such as `ru`, `ru-RU` or `EN_us`; `None` for languages we do not speak.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        Locale::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The first supported language of an `Accept-Language` header, ignoring quality ordering
    /// subtleties: browsers list languages by preference already.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        header.split(',').filter_map(|part| part.split(';').next()).find_map(Locale::from_tag)
    }

    /// What a client asks for: an explicit choice (a `locale` parameter, the page's language),
    /// else its browser's `Accept-Language`. The site then picks among its own languages
    /// (`SiteConfig::pick_locale`).
    pub fn asked(explicit: Option<Locale>, accept_language: Option<&str>) -> Option<Locale> {
        explicit.or_else(|| accept_language.and_then(Locale::from_accept_language))
    }
}

/// CLDR plural category of a cardinal number; English uses `One`/`Other`, Russian all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
}

/// The CLDR cardinal plural rule for integers in `locale`.
///
/// Hand-written because the two rules are a few lines and the ICU-data crates would add
/// hundreds of kilobytes to the widget.
pub fn plural(locale: Locale, n: u64) -> Plural {
    match locale {
        Locale::En if n == 1 => Plural::One,
        Locale::En => Plural::Other,
        Locale::Ru => match (n % 10, n % 100) {
            (1, r) if r != 11 => Plural::One,
            (2..=4, r) if !(12..=14).contains(&r) => Plural::Few,
            _ => Plural::Many,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags() {
        assert_eq!(Locale::from_tag("ru-RU"), Some(Locale::Ru));
        assert_eq!(Locale::from_tag("EN_us"), Some(Locale::En));
        assert_eq!(Locale::from_tag("de"), None);
        assert_eq!(Locale::from_tag(""), None);
        assert_eq!(Locale::from_accept_language("de-DE,ru;q=0.8,en;q=0.5"), Some(Locale::Ru));
        assert_eq!(Locale::asked(Some(Locale::En), Some("ru")), Some(Locale::En));
        assert_eq!(Locale::asked(None, Some("de, ru-RU")), Some(Locale::Ru));
        assert_eq!(Locale::asked(None, None), None);
    }

    #[test]
    fn russian_plurals() {
        let cases = [
            (0, Plural::Many),
            (1, Plural::One),
            (2, Plural::Few),
            (4, Plural::Few),
            (5, Plural::Many),
            (11, Plural::Many),
            (12, Plural::Many),
            (14, Plural::Many),
            (21, Plural::One),
            (22, Plural::Few),
            (101, Plural::One),
            (111, Plural::Many),
            (1004, Plural::Few),
        ];
        for (n, expected) in cases {
            assert_eq!(plural(Locale::Ru, n), expected, "n = {n}");
        }
        assert_eq!(plural(Locale::En, 1), Plural::One);
        assert_eq!(plural(Locale::En, 0), Plural::Other);
    }
}
