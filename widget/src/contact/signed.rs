//! The customer the site signed in, as its token says: shown in place of the email and name
//! fields. Read without checking the signature, for display only: the worker verifies the token
//! and takes the email and name from it, whatever the form sends.

use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::console::channel_name;
use tabdesk_core::json::{member, FromJson, Json};
use tabdesk_core::wire::LaunchedVisitor;

use crate::json;

#[derive(Clone, Default, PartialEq)]
pub struct Signed {
    pub email: Option<String>,
    pub name: Option<String>,
    /// Vouched for by a social network's launch parameters: no email is asked.
    pub by_platform: bool,
}

/// The token's claims that the form shows (`by_platform` is the widget's own).
impl FromJson for Signed {
    fn from_json(json: &Json) -> Option<Self> {
        if !matches!(json, Json::Object(_)) {
            return None;
        }
        Some(Signed { email: member(json, "email", None)?, name: member(json, "name", None)?, by_platform: false })
    }
}

/// The visitor a social network vouched for, as the form shows them: by the platform's name
/// when it gave none (`channel_name`, not `to_uppercase`, whose Unicode case tables were 7.7 KB
/// gzip of the form's module).
pub fn launched(who: &LaunchedVisitor, locale: Locale) -> Signed {
    Signed {
        email: None,
        name: who.name.clone().or_else(|| Some(channel_name(locale, &who.platform))),
        by_platform: true,
    }
}

/// The claims of a JWT's payload (its second base64url part), if they read.
pub fn peek(token: &str) -> Option<Signed> {
    let payload = token.split('.').nth(1)?;
    let mut standard: String = payload
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    // `atob` gives one character per byte; the JSON inside is UTF-8.
    let bytes: Vec<u8> = web_sys::window()?.atob(&standard).ok()?.chars().map(|c| c as u8).collect();
    json::decode(&String::from_utf8(bytes).ok()?)
}
