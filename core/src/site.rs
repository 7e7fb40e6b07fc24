//! Sites (tenants): their ids and the rules for creating one.

use crate::locale::Locale;
use crate::origin::OriginPattern;
use crate::wire::{FieldError, NewSite};

const MAX_NAME_CHARS: usize = 100;
const MAX_ORIGINS: usize = 50;

/// A site id: 2–32 chars of `a-z`, `0-9` and `-`, starting with a letter. It appears in URLs
/// and ticket numbers, so it is kept short and plain.
pub fn is_site_id(s: &str) -> bool {
    (2..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Field errors of a site creation request (operator-facing, so in English).
pub fn validate_new_site(site: &NewSite) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut push = |field: String, code: &str, message: String| {
        errors.push(FieldError::new(field, code, message))
    };
    if !is_site_id(&site.id) {
        push(
            "id".into(),
            "invalid_id",
            "2-32 characters: a-z, 0-9 and '-', starting with a letter.".into(),
        );
    }
    let name = site.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        push(
            "name".into(),
            "invalid_name",
            format!("1-{MAX_NAME_CHARS} characters."),
        );
    }
    if site.allowed_origins.len() > MAX_ORIGINS {
        push(
            "allowed_origins".into(),
            "too_many",
            format!("At most {MAX_ORIGINS} origins."),
        );
    }
    for (i, origin) in site.allowed_origins.iter().enumerate() {
        if let Err(why) = OriginPattern::parse(origin) {
            push(
                format!("allowed_origins[{i}]"),
                "invalid_origin",
                why.to_owned(),
            );
        }
    }
    errors
}

/// The languages of a new site: those asked for, without repeats, else all we speak.
pub fn site_locales(asked: &[Locale]) -> Vec<Locale> {
    let mut locales: Vec<Locale> = Vec::new();
    for l in asked {
        if !locales.contains(l) {
            locales.push(*l);
        }
    }
    if locales.is_empty() {
        locales = Locale::ALL.to_vec();
    }
    locales
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_ids() {
        assert!(is_site_id("demo"));
        assert!(is_site_id("acme-2"));
        for bad in ["d", "Demo", "2demo", "de mo", "../x", &"a".repeat(33)] {
            assert!(!is_site_id(bad), "{bad}");
        }
    }

    #[test]
    fn new_site_rules() {
        let site = NewSite {
            id: "acme".into(),
            name: "Acme".into(),
            allowed_origins: vec!["https://acme.example".into(), "acme.example".into()],
            locales: vec![Locale::Ru, Locale::Ru],
        };
        let errors = validate_new_site(&site);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "allowed_origins[1]");
        assert_eq!(site_locales(&site.locales), [Locale::Ru]);
        assert_eq!(site_locales(&[]), Locale::ALL);
    }
}
