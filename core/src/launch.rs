//! Signed launch parameters of social networks' app frames (the widget's page mode): who the
//! platform says the visitor is, believed only when the platform's signature checks out with the
//! site's secret for that app, and only while fresh. Anything else is no identity at all (the
//! normal form), never a guessed one.
//!
//! - VK Mini Apps append `vk_*` parameters and `sign`: HMAC-SHA256 with the app's secure key over
//!   the `vk_*` pairs sorted by key, `k=v` joined by `&`, values encoded as `encodeURIComponent`
//!   does; base64url without padding. Refused an hour after `vk_ts`.
//! - Telegram Mini Apps hand over `initData`: HMAC-SHA256 keyed with HMAC-SHA256("WebAppData",
//!   bot token) over every field but `hash`, sorted, `k=v` joined by newlines; hex. Refused a day
//!   after `auth_date` (a Mini App may stay open that long). Without the token, its Ed25519
//!   `signature` is checked with Telegram's public key and the bot's id.
//! - OK (Odnoklassniki) apps get `auth_sig = md5(logged_user_id + session_key + application
//!   secret key)`: nothing signed with the session secret the browser holds is taken.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;
use sha2::Sha256;

/// How long launch parameters are believed, in seconds.
pub const VK_MAX_AGE_S: i64 = 60 * 60;
pub const TELEGRAM_MAX_AGE_S: i64 = 24 * 60 * 60;
/// A platform's clock may run this far ahead of ours.
const CLOCK_SKEW_S: i64 = 5 * 60;

/// What `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A visitor a platform vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launched {
    /// `vk`, `telegram` or `ok`: also the channel the visitor came through.
    pub platform: &'static str,
    /// The platform's id of the user.
    pub user_id: String,
    pub name: Option<String>,
}

impl Launched {
    /// The id the customer is known by in Tabdesk: the platform's id, prefixed by the platform.
    pub fn customer_id(&self) -> String {
        format!("{}:{}", self.platform, self.user_id)
    }
}

/// Why launch parameters were not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A field missing or unreadable.
    Malformed,
    /// The signature is not the platform's.
    Signature,
    /// Too old, or from the future.
    Expired,
}

fn pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches(['?', '#']).as_bytes()).into_owned().collect()
}

fn fresh(at: Option<&str>, max_age_s: i64, now_s: i64) -> Result<(), Refused> {
    let at: i64 = at.and_then(|t| t.parse().ok()).ok_or(Refused::Malformed)?;
    if now_s - at > max_age_s || at - now_s > CLOCK_SKEW_S {
        return Err(Refused::Expired);
    }
    Ok(())
}

/// HMAC-SHA256 of `message` under `key` (HMAC takes keys of any length: this never fails, and
/// would count as a bad signature if it did).
fn hmac(key: &[u8], message: &[u8]) -> Result<Hmac<Sha256>, Refused> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).map_err(|_| Refused::Signature)?;
    mac.update(message);
    Ok(mac)
}

/// The `sign` VK computes for the `vk_*` pairs of `query` with the app's `secure_key`.
pub fn vk_sign(query: &str, secure_key: &str) -> String {
    hmac(secure_key.as_bytes(), vk_signed_text(&pairs(query)).as_bytes())
        .map(|mac| URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
        .unwrap_or_default()
}

fn vk_signed_text(pairs: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k.starts_with("vk_")).collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    signed.iter().map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, URI_COMPONENT))).collect::<Vec<_>>().join("&")
}

/// The VK user a Mini App's launch `query` names, if VK signed it with `secure_key` in the last
/// hour (`now_s`, Unix seconds).
pub fn verify_vk(query: &str, secure_key: &str, now_s: i64) -> Result<Launched, Refused> {
    let pairs = pairs(query);
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let sign = URL_SAFE_NO_PAD.decode(field("sign").ok_or(Refused::Malformed)?).map_err(|_| Refused::Malformed)?;
    // Constant time: the comparison says nothing about how close a forgery came.
    hmac(secure_key.as_bytes(), vk_signed_text(&pairs).as_bytes())?
        .verify_slice(&sign)
        .map_err(|_| Refused::Signature)?;
    fresh(field("vk_ts"), VK_MAX_AGE_S, now_s)?;
    let user_id = field("vk_user_id").filter(|id| !id.is_empty()).ok_or(Refused::Malformed)?;
    Ok(Launched { platform: "vk", user_id: user_id.to_owned(), name: None })
}

#[derive(Deserialize)]
struct TelegramUser {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
}

/// The Telegram user a Mini App's `init_data` names, if Telegram signed it for the bot whose token
/// is `bot_token` in the last day.
pub fn verify_telegram(init_data: &str, bot_token: &str, now_s: i64) -> Result<Launched, Refused> {
    let pairs = pairs(init_data);
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let hash = hex::decode(field("hash").ok_or(Refused::Malformed)?).map_err(|_| Refused::Malformed)?;
    let mut checked: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "hash").collect();
    checked.sort_by(|a, b| a.0.cmp(&b.0));
    let text = checked.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n");
    let secret = hmac(b"WebAppData", bot_token.as_bytes())?.finalize().into_bytes();
    hmac(&secret, text.as_bytes())?.verify_slice(&hash).map_err(|_| Refused::Signature)?;
    telegram_user(field, now_s)
}

/// Telegram's Ed25519 public keys for the `signature` of Mini Apps' `initData`: the one
/// production clients sign with, and the test environment's.
pub const TELEGRAM_PUBLIC_KEY: &str = "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d";
pub const TELEGRAM_TEST_PUBLIC_KEY: &str = "40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec";

/// The Telegram user a Mini App's `init_data` names, checked without the bot's token (a site that
/// does not give it to Tabdesk): Telegram's Ed25519 `signature` with `public_key` (hex) over
/// `"<bot_id>:WebAppData\n"` and the sorted fields but `hash` and `signature`, one `k=v` a line;
/// refused a day after `auth_date`.
pub fn verify_telegram_third_party(
    init_data: &str,
    bot_id: i64,
    public_key: &str,
    now_s: i64,
) -> Result<Launched, Refused> {
    use ed25519_dalek::{Signature, VerifyingKey};
    let pairs = pairs(init_data);
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let signature = field("signature").ok_or(Refused::Malformed)?.trim_end_matches('=');
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Refused::Malformed)?;
    let signature = Signature::from_slice(&signature).map_err(|_| Refused::Malformed)?;
    let key: [u8; 32] = hex::decode(public_key).ok().and_then(|k| k.try_into().ok()).ok_or(Refused::Malformed)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| Refused::Malformed)?;
    let mut checked: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "hash" && k != "signature").collect();
    checked.sort_by(|a, b| a.0.cmp(&b.0));
    let lines = checked.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n");
    key.verify_strict(format!("{bot_id}:WebAppData\n{lines}").as_bytes(), &signature)
        .map_err(|_| Refused::Signature)?;
    telegram_user(field, now_s)
}

/// The Telegram user of a checked `initData`, if it is fresh.
fn telegram_user<'a>(field: impl Fn(&str) -> Option<&'a str>, now_s: i64) -> Result<Launched, Refused> {
    fresh(field("auth_date"), TELEGRAM_MAX_AGE_S, now_s)?;
    let user: TelegramUser =
        serde_json::from_str(field("user").ok_or(Refused::Malformed)?).map_err(|_| Refused::Malformed)?;
    let name = [user.first_name, user.last_name].into_iter().flatten().collect::<Vec<_>>().join(" ");
    Ok(Launched { platform: "telegram", user_id: user.id.to_string(), name: Some(name).filter(|n| !n.is_empty()) })
}

/// The OK user an app's launch names, if `auth_sig` is md5(`logged_user_id`, `session_key`, the
/// app's `secret_key`) as OK computes it.
pub fn verify_ok(
    logged_user_id: &str,
    session_key: &str,
    auth_sig: &str,
    secret_key: &str,
) -> Result<Launched, Refused> {
    if logged_user_id.is_empty() || session_key.is_empty() {
        return Err(Refused::Malformed);
    }
    let expected = Md5::digest(format!("{logged_user_id}{session_key}{secret_key}").as_bytes());
    let given = hex::decode(auth_sig.to_ascii_lowercase()).map_err(|_| Refused::Malformed)?;
    // Constant time, as above.
    let same =
        given.len() == expected.len() && given.iter().zip(expected.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same {
        return Err(Refused::Signature);
    }
    Ok(Launched { platform: "ok", user_id: logged_user_id.to_owned(), name: None })
}

/// The OK user an app's launch `query` names (`logged_user_id`, `session_key`, `auth_sig` among
/// the parameters OK adds to the app's address), checked with the app's `secret_key`.
pub fn verify_ok_launch(query: &str, secret_key: &str) -> Result<Launched, Refused> {
    let pairs = pairs(query);
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    verify_ok(field("logged_user_id"), field("session_key"), field("auth_sig"), secret_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VK_KEY: &str = "wvl68m4dR1UpLrVRli";
    const VK_PARAMS: &str = "vk_access_token_settings=&vk_app_id=6736218&vk_are_notifications_enabled=1&vk_is_app_user=1&vk_language=ru&vk_platform=android&vk_user_id=494075";

    #[test]
    fn vk_signs_as_its_documentation_says() {
        assert_eq!(vk_sign(VK_PARAMS, VK_KEY), "htQFduJpLxz7ribXRZpDFUH-XEUhC9rBPTJkjUFEkRA");
        // Other parameters are not signed; their order does not matter.
        let shuffled = format!("utm_source=x&vk_user_id=494075&{VK_PARAMS}").replacen("&vk_user_id=494075", "", 1);
        assert_eq!(vk_sign(&shuffled, VK_KEY), "htQFduJpLxz7ribXRZpDFUH-XEUhC9rBPTJkjUFEkRA");
    }

    #[test]
    fn vk_launches_are_taken_fresh_and_untampered_only() {
        let now = 1_800_000_000;
        let params = format!("{VK_PARAMS}&vk_ts={}&vk_ref=other%20page", now - 60);
        let signed = format!("{params}&sign={}", vk_sign(&params, VK_KEY));
        let who = verify_vk(&signed, VK_KEY, now).unwrap();
        assert_eq!((who.platform, who.customer_id()), ("vk", "vk:494075".to_owned()));
        assert_eq!(verify_vk(&signed.replace("494075", "494076"), VK_KEY, now), Err(Refused::Signature));
        assert_eq!(verify_vk(&signed, "another-key", now), Err(Refused::Signature));
        assert_eq!(verify_vk(&signed, VK_KEY, now + VK_MAX_AGE_S), Err(Refused::Expired));
        assert_eq!(verify_vk(VK_PARAMS, VK_KEY, now), Err(Refused::Malformed), "no sign");
    }

    #[test]
    fn telegram_init_data_is_checked_with_the_bot_token() {
        // Computed with Node's crypto from Telegram's documented algorithm.
        let init = "auth_date=1800000000&query_id=AAH1&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22%D0%98%D1%80%D0%B8%D0%BD%D0%B0%22%2C%22last_name%22%3A%22%D0%9F%22%2C%22username%22%3A%22irina%22%7D&hash=ac4930090f2d26f11e8df6dc128ed633e3826cbdce8b9d79b74e4ac320b76cd6";
        let token = "123456:TEST-token_for_tabdesk";
        let who = verify_telegram(init, token, 1_800_000_100).unwrap();
        assert_eq!((who.customer_id(), who.name.as_deref()), ("telegram:279058397".to_owned(), Some("Ирина П")));
        assert_eq!(verify_telegram(init, "123456:other", 1_800_000_100), Err(Refused::Signature));
        assert_eq!(verify_telegram(&init.replace("AAH1", "AAH2"), token, 1_800_000_100), Err(Refused::Signature));
        assert_eq!(verify_telegram(init, token, 1_800_000_000 + TELEGRAM_MAX_AGE_S + 1), Err(Refused::Expired));
    }

    #[test]
    fn telegram_init_data_is_checked_without_the_token_by_its_ed25519_signature() {
        use ed25519_dalek::{Signer, SigningKey};
        // A key of our own stands in for Telegram's, signing as Telegram documents it.
        let telegram = SigningKey::from_bytes(&[7; 32]);
        let public = hex::encode(telegram.verifying_key().to_bytes());
        let fields = "auth_date=1800000000\nquery_id=AAH1\nuser={\"id\":42,\"first_name\":\"Olga\"}";
        let signature =
            URL_SAFE_NO_PAD.encode(telegram.sign(format!("7001:WebAppData\n{fields}").as_bytes()).to_bytes());
        let init = format!(
            "user=%7B%22id%22%3A42%2C%22first_name%22%3A%22Olga%22%7D&auth_date=1800000000&query_id=AAH1&hash=00&signature={signature}"
        );
        let who = verify_telegram_third_party(&init, 7001, &public, 1_800_000_100).unwrap();
        assert_eq!((who.customer_id(), who.name.as_deref()), ("telegram:42".to_owned(), Some("Olga")));
        assert_eq!(
            verify_telegram_third_party(&init, 7002, &public, 1_800_000_100),
            Err(Refused::Signature),
            "another bot"
        );
        assert_eq!(
            verify_telegram_third_party(&init.replace("AAH1", "AAH2"), 7001, &public, 1_800_000_100),
            Err(Refused::Signature)
        );
        assert_eq!(
            verify_telegram_third_party(&init, 7001, TELEGRAM_PUBLIC_KEY, 1_800_000_100),
            Err(Refused::Signature),
            "not Telegram's"
        );
        assert_eq!(
            verify_telegram_third_party(&init, 7001, &public, 1_800_000_000 + TELEGRAM_MAX_AGE_S + 1),
            Err(Refused::Expired)
        );
        let unsigned = init.split("&signature").next().unwrap();
        assert_eq!(verify_telegram_third_party(unsigned, 7001, &public, 1_800_000_100), Err(Refused::Malformed));
    }

    #[test]
    fn ok_auth_sig_is_md5_of_user_session_and_app_secret() {
        // md5("5764520146" + "sessionkey123" + "APPSECRET"), computed with Node's crypto.
        let sig = "077f5b7dd7b608c46ec91f7fadfb4a4b";
        assert_eq!(verify_ok("5764520146", "sessionkey123", sig, "APPSECRET").unwrap().customer_id(), "ok:5764520146");
        assert_eq!(
            verify_ok("5764520146", "sessionkey123", &sig.to_uppercase(), "APPSECRET").map(|l| l.platform),
            Ok("ok")
        );
        assert_eq!(verify_ok("5764520147", "sessionkey123", sig, "APPSECRET"), Err(Refused::Signature));
        assert_eq!(verify_ok("5764520146", "sessionkey123", sig, "OTHER"), Err(Refused::Signature));
        assert_eq!(verify_ok("5764520146", "sessionkey123", "zz", "APPSECRET"), Err(Refused::Malformed));
        let query = format!(
            "?api_server=https%3A%2F%2Fapi.ok.ru%2F&logged_user_id=5764520146&session_key=sessionkey123&auth_sig={sig}"
        );
        assert_eq!(verify_ok_launch(&query, "APPSECRET").unwrap().customer_id(), "ok:5764520146");
        assert_eq!(verify_ok_launch(&query, "OTHER"), Err(Refused::Signature));
    }
}
