//! Sites (tenants): their ids and the rules for creating one.

use crate::channel::Channels;
use crate::config::{default_config, validate_config, SiteConfig};
use crate::domain::{FieldError, Locale};
use crate::url::OutboundPolicy;
use crate::wire::NewSite;

/// A site (tenant) as the worker's handlers use it: its id, its configuration and its channel
/// connections (kept apart from the configuration: their secrets are never shown).
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub id: String,
    pub config: SiteConfig,
    pub channels: Channels,
}

impl Site {
    /// Whether `origin` (an `Origin` header) may call the site's public API: one of the site's
    /// allowed origins, or `own`, the worker's (the widget's iframe).
    pub fn allows_origin(&self, origin: &str, own: &str) -> bool {
        origin == own || self.config.origin_patterns().iter().any(|p| p.matches(origin))
    }
}

/// A site id: 2–32 chars of `a-z`, `0-9` and `-`, starting with a letter. It appears in URLs
/// and ticket numbers, so it is kept short and plain.
pub fn is_site_id(s: &str) -> bool {
    (2..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The configuration a new site starts with.
pub fn new_site_config(site: &NewSite) -> SiteConfig {
    default_config(site.name.trim(), site_locales(&site.locales), site.allowed_origins.clone())
}

/// Field errors of a site creation request (operator-facing, so in English).
pub fn validate_new_site(site: &NewSite) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !is_site_id(&site.id) {
        errors.push(FieldError::new("id", "invalid_id", "2-32 characters: a-z, 0-9 and '-', starting with a letter."));
    }
    // A new site has no webhook yet: where webhooks may go does not matter here.
    errors.extend(validate_config(&new_site_config(site), OutboundPolicy::default()));
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
    fn origins_the_site_allows() {
        let site = Site {
            id: "acme".into(),
            config: default_config("Acme", vec![Locale::En], vec!["https://*.acme.example".into()]),
            channels: Channels::default(),
        };
        let own = "https://support.example";
        assert!(site.allows_origin(own, own));
        assert!(site.allows_origin("https://shop.acme.example", own));
        assert!(!site.allows_origin("https://acme.example", own), "a wildcard is for subdomains only");
        assert!(!site.allows_origin("https://evil.example", own));
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
