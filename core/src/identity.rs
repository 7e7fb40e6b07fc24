//! Signed identity: a site's own server vouches for a signed-in customer with a short-lived JWT
//! (HS256, a secret only it and the site's config know), which the page hands to the widget with
//! `Tabdesk('identify', {token})`. The worker believes the email, the name and the `fields`
//! claims only from a token that verifies here; anything the browser adds beside it stays
//! unverified, and a claim always wins over a field of the same name.
//!
//! Only HS256 is taken (never `none`, never the algorithm the token names for itself); the token
//! must be for this site (`aud`), unexpired, and expire within [`MAX_LIFETIME_S`], so a stolen one
//! is worth little. Two secrets may be valid at once, so a site can rotate without a gap.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The longest a token may still be valid for when it arrives (seconds): sign one per page view.
pub const MAX_LIFETIME_S: i64 = 24 * 60 * 60;
/// Secrets: at least this long (characters), at most [`MAX_SECRETS`] at once.
pub const MIN_SECRET_CHARS: usize = 32;
pub const MAX_SECRETS: usize = 2;
/// Limits on what a token may carry.
pub const MAX_TOKEN_CHARS: usize = 4096;
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_CLAIMED_FIELDS: usize = 20;
pub const MAX_CLAIM_CHARS: usize = 500;

/// A site's identity settings (in its config; the secrets never leave the worker).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct IdentityConfig {
    /// HS256 secrets the site's server signs with: the current one, and during a rotation the
    /// one before it.
    pub secrets: Vec<String>,
    /// Requests without a valid token are refused (for sites whose customers always sign in).
    pub required: bool,
}

/// Who a verified token says the customer is; stored with the ticket and shown to agents as
/// verified.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verified {
    /// The customer's id in the site's own system (`sub`).
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    /// Facts the site vouches for (plan, order number), read-only for the customer.
    pub fields: BTreeMap<String, String>,
}

/// Why a token was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not three base64url parts of JSON, or too long.
    Malformed,
    /// Not HS256 (`none` included).
    Algorithm,
    /// No secret of the site signed it.
    Signature,
    /// For another site (`aud`).
    OtherSite,
    /// Expired, without `exp`, or valid for longer than [`MAX_LIFETIME_S`].
    Expired,
    /// No `sub`, or claims over the limits.
    Claims,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    aud: Option<Audience>,
    exp: Option<i64>,
    email: Option<String>,
    name: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

/// `aud` may be one string or a list of them (RFC 7519).
#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn names(&self, site: &str) -> bool {
        match self {
            Audience::One(a) => a == site,
            Audience::Many(all) => all.iter().any(|a| a == site),
        }
    }
}

fn part<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Refused> {
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| Refused::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Refused::Malformed)
}

fn signed_by(secret: &str, signed: &str, signature: &[u8]) -> bool {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).is_ok_and(|mut mac| {
        mac.update(signed.as_bytes());
        // Constant time: the comparison says nothing about how close a forgery came.
        mac.verify_slice(signature).is_ok()
    })
}

fn trimmed(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The customer `token` vouches for, if one of `config`'s secrets signed it for `site` and it is
/// valid at `now_s` (Unix seconds).
pub fn verify(token: &str, config: &IdentityConfig, site: &str, now_s: i64) -> Result<Verified, Refused> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(Refused::Malformed);
    }
    let mut parts = token.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refused::Malformed);
    };
    if part::<Header>(header)?.alg != "HS256" {
        return Err(Refused::Algorithm);
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Refused::Malformed)?;
    let signed = &token.trim()[..header.len() + 1 + payload.len()];
    if !config.secrets.iter().any(|secret| signed_by(secret, signed, &signature)) {
        return Err(Refused::Signature);
    }
    let claims: Claims = part(payload)?;
    if !claims.aud.as_ref().is_some_and(|a| a.names(site)) {
        return Err(Refused::OtherSite);
    }
    match claims.exp {
        Some(exp) if exp > now_s && exp - now_s <= MAX_LIFETIME_S => {}
        _ => return Err(Refused::Expired),
    }
    let id = trimmed(claims.sub).filter(|s| s.chars().count() <= MAX_SUBJECT_CHARS).ok_or(Refused::Claims)?;
    let long = |v: &str| v.chars().count() > MAX_CLAIM_CHARS;
    if claims.fields.len() > MAX_CLAIMED_FIELDS || claims.fields.iter().any(|(k, v)| long(k) || long(v)) {
        return Err(Refused::Claims);
    }
    let (email, name) = (trimmed(claims.email), trimmed(claims.name));
    if email.as_deref().is_some_and(long) || name.as_deref().is_some_and(long) {
        return Err(Refused::Claims);
    }
    Ok(Verified { id, email, name, fields: claims.fields })
}

/// Problems of a site's identity settings (operator-facing English), as `(field, message)`.
pub fn check_config(config: &IdentityConfig) -> Vec<(String, &'static str)> {
    let mut problems = Vec::new();
    if config.secrets.len() > MAX_SECRETS {
        problems.push(("identity.secrets".to_owned(), "At most two: the current secret and the one before it."));
    }
    for (i, secret) in config.secrets.iter().enumerate() {
        if secret.chars().count() < MIN_SECRET_CHARS {
            problems.push((format!("identity.secrets[{i}]"), "At least 32 characters, random."));
        }
    }
    if config.required && config.secrets.is_empty() {
        problems.push(("identity.required".to_owned(), "Requires a secret to check tokens with."));
    }
    problems
}

/// A token as a site's server would make it (for tests here and in `ticket`).
#[cfg(test)]
pub(crate) fn sign(secret: &str, header: &str, claims: &str) -> String {
    let signed = format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(claims));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef-current";
    const OLD: &str = "0123456789abcdef0123456789abcdef-previous";
    const NOW: i64 = 1_800_000_000;

    fn b64(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    fn config(secrets: &[&str]) -> IdentityConfig {
        IdentityConfig { secrets: secrets.iter().map(|s| s.to_string()).collect(), required: false }
    }

    fn claims(exp: i64) -> String {
        format!(
            r#"{{"sub":"u-42","aud":"shop","exp":{exp},"email":"ann@example.com","name":"Ann","fields":{{"plan":"Gold"}}}}"#
        )
    }

    const HS256: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

    #[test]
    fn a_token_signed_with_either_secret_is_taken() {
        for secret in [SECRET, OLD] {
            let token = sign(secret, HS256, &claims(NOW + 600));
            let who = verify(&token, &config(&[SECRET, OLD]), "shop", NOW).unwrap();
            assert_eq!(who.id, "u-42");
            assert_eq!(who.email.as_deref(), Some("ann@example.com"));
            assert_eq!(who.fields.get("plan").map(String::as_str), Some("Gold"));
        }
    }

    #[test]
    fn forgeries_are_refused() {
        let good = sign(SECRET, HS256, &claims(NOW + 600));
        let site = config(&[SECRET]);
        assert_eq!(verify(&good, &config(&[OLD]), "shop", NOW), Err(Refused::Signature));
        // `alg: none` with no signature, and HS256 claimed over another payload.
        let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(&claims(NOW + 600)));
        assert_eq!(verify(&none, &site, "shop", NOW), Err(Refused::Algorithm));
        let (head, rest) = good.split_once('.').unwrap();
        let signature = rest.split_once('.').unwrap().1;
        let richer = claims(NOW + 600).replace("Gold", "Platinum");
        let swapped = format!("{head}.{}.{signature}", b64(&richer));
        assert_eq!(verify(&swapped, &site, "shop", NOW), Err(Refused::Signature));
        assert_eq!(
            verify(&sign(SECRET, r#"{"alg":"HS512"}"#, &claims(NOW + 600)), &site, "shop", NOW),
            Err(Refused::Algorithm)
        );
        assert_eq!(verify("a.b", &site, "shop", NOW), Err(Refused::Malformed));
        assert_eq!(verify(&good, &site, "other", NOW), Err(Refused::OtherSite));
        assert_eq!(verify(&good, &IdentityConfig::default(), "shop", NOW), Err(Refused::Signature));
    }

    #[test]
    fn only_short_lived_unexpired_tokens_with_a_subject() {
        let site = config(&[SECRET]);
        assert_eq!(verify(&sign(SECRET, HS256, &claims(NOW - 1)), &site, "shop", NOW), Err(Refused::Expired));
        let long = sign(SECRET, HS256, &claims(NOW + MAX_LIFETIME_S + 1));
        assert_eq!(verify(&long, &site, "shop", NOW), Err(Refused::Expired));
        let no_exp = sign(SECRET, HS256, r#"{"sub":"u","aud":"shop"}"#);
        assert_eq!(verify(&no_exp, &site, "shop", NOW), Err(Refused::Expired));
        let no_sub = sign(SECRET, HS256, &format!(r#"{{"aud":["x","shop"],"exp":{}}}"#, NOW + 60));
        assert_eq!(verify(&no_sub, &site, "shop", NOW), Err(Refused::Claims));
    }

    #[test]
    fn settings_need_long_secrets_and_at_most_two() {
        assert!(check_config(&config(&[SECRET, OLD])).is_empty());
        let fields: Vec<String> = check_config(&config(&["short", SECRET, OLD])).into_iter().map(|p| p.0).collect();
        assert_eq!(fields, ["identity.secrets", "identity.secrets[0]"]);
        let required = IdentityConfig { secrets: Vec::new(), required: true };
        assert_eq!(check_config(&required)[0].0, "identity.required");
    }
}
