//! Bearer tokens: made from caller-supplied randomness or derived from the worker's secret, and
//! stored only as SHA-256 hashes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// A 256-bit token as 64 lowercase hex characters.
pub fn new_token(random: [u8; 32]) -> String {
    hex::encode(random)
}

/// The form in which tokens are stored: tokens are long random strings, so a fast unsalted
/// hash is enough to make a leaked table useless.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 32 bytes derived from the worker's `secret` for one `purpose` and one `id`
/// (HMAC-SHA256 over `purpose`, a zero byte and `id`): the same inputs give the same bytes, so
/// what is derived need not be stored.
pub fn derive(secret: &str, purpose: &str, id: &str) -> [u8; 32] {
    // HMAC takes keys of any length, so this cannot fail; a zero key would only give tokens
    // that no stored hash matches.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return [0; 32];
    };
    mac.update(purpose.as_bytes());
    mac.update(&[0]);
    mac.update(id.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Who voted, as the knowledge base's learning counts voters (`kb::learn`): derived from the
/// worker's secret, the site and the client's address, so votes of one client count once and the
/// address cannot be read back (a plain hash of an IPv4 address is reversed by trying them all).
pub fn voter_key(secret: &str, site: &str, client: &str) -> String {
    hex::encode(&derive(secret, "voter", &format!("{site}/{client}"))[..8])
}

/// A ticket's customer access token, `<site>~<hex>`: the hex part is derived from the secret,
/// the site and the ticket id, so neither the ticket nor its idempotency record ever holds it
/// (only its hash) and a replay can still answer with it; the site part says whose store holds
/// the ticket, so `GET /v1/tickets/{id}` needs no directory of tickets.
pub fn access_token(secret: &str, site: &str, ticket_id: &str) -> String {
    format!("{site}~{}", hex::encode(derive(secret, "access-token", &format!("{site}/{ticket_id}"))))
}

/// The site an access token names, if it is shaped like one (whether it is valid is
/// [`is_access_token`]'s to say).
pub fn access_token_site(token: &str) -> Option<&str> {
    token.split_once('~').map(|(site, _)| site).filter(|s| !s.is_empty())
}

/// Whether `token` opens ticket `ticket_id` of `site` (compared in constant time).
pub fn is_access_token(secret: &str, site: &str, ticket_id: &str, token: &str) -> bool {
    constant_time_eq(token, &access_token(secret, site, ticket_id))
}

/// The AES-256 key of a widget's relay `id`, base64url without padding.
pub fn relay_key(secret: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(derive(secret, "relay-key", id))
}

/// A relay id as the widget makes them: 22-64 letters, digits, `-` or `_` (at least 128 bits).
pub fn is_relay_id(id: &str) -> bool {
    (22..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads `Authorization: Bearer <token>`; `None` when absent or of another scheme.
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Compares two secrets in time independent of where they first differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_hex() {
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(new_token([255; 32]).len(), 64);
    }

    #[test]
    fn reads_bearer_header() {
        assert_eq!(bearer(Some("Bearer abc")), Some("abc"));
        assert_eq!(bearer(Some("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(Some("Basic abc")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(None), None);
    }

    #[test]
    fn derived_tokens_depend_on_every_input() {
        let a = access_token("secret-one", "demo", "01J0000000000000000000000A");
        assert_eq!(a.len(), "demo~".len() + 64);
        assert_eq!(access_token_site(&a), Some("demo"));
        assert!(is_access_token("secret-one", "demo", "01J0000000000000000000000A", &a));
        assert!(!is_access_token("secret-two", "demo", "01J0000000000000000000000A", &a));
        assert!(!is_access_token("secret-one", "demo", "01J0000000000000000000000B", &a), "another ticket");
        assert!(!is_access_token("secret-one", "acme", "01J0000000000000000000000A", &a), "another site");
        assert_eq!(access_token_site("no-site-part"), None);
        let key = relay_key("secret-one", "abcdefghijklmnopqrstuv");
        assert_eq!(key.len(), 43, "32 bytes in base64url without padding");
        assert!(!key.contains(['+', '/', '=']));
        assert_ne!(derive("s", "access-token", "x"), derive("s", "relay-key", "x"), "purposes do not collide");
        assert!(is_relay_id("abcdefghijklmnopqrstuv") && !is_relay_id("short"));
        assert!(!is_relay_id("a/bcdefghijklmnopqrstuv"));
    }

    #[test]
    fn compares_secrets() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
