//! Signed identity against the real worker: a token the site's server signed (HS256) vouches for
//! the customer's email, name and facts; anything else is refused or stays unverified.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tabdesk_tests::{ticket, unique, Api};

const CURRENT: &str = "identity-test-secret-0123456789-current";
const PREVIOUS: &str = "identity-test-secret-0123456789-previous";

/// A JWT as a site's server makes one, in a few lines (the README's recipe).
fn sign(secret: &str, header: &Value, claims: &Value) -> String {
    let signed =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

fn claims(site: &str, exp: i64) -> Value {
    json!({ "sub": "cust-7", "aud": site, "exp": exp, "email": "irina@example.com", "name": "Ирина",
            "fields": { "plan": "Gold" } })
}

fn hs256() -> Value {
    json!({ "alg": "HS256", "typ": "JWT" })
}

/// A site of our own whose config takes tokens signed with either secret.
fn site_with_identity(api: &Api, required: bool) -> (String, String) {
    let (site, token) = api.own_site("idn");
    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &token).json();
    config["identity"] = json!({ "secrets": [CURRENT, PREVIOUS], "required": required });
    config["form"] = json!({ "categories": [{ "id": "billing", "label": { "en": "Billing" },
        "fields": [{ "id": "plan", "kind": "text", "label": { "en": "Plan" } }] }] });
    let saved = api.put_config(&site, &token, &config);
    assert_eq!(saved.status, 200, "{}", saved.body);
    (site, token)
}

/// The code of the one field error of a refused request.
fn refusal(api: &Api, site: &str, body: &Value) -> String {
    let problem = api.create_ticket(site, body, &unique("k")).problem(422);
    assert_eq!(problem["errors"][0]["field"], "identity", "{problem}");
    problem["errors"][0]["code"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn a_signed_customer_is_verified_and_their_claims_beat_what_the_browser_sent() {
    let api = Api::from_env();
    let (site, token) = site_with_identity(&api, false);
    let mut request = ticket("Upgrade my plan");
    request["email"] = json!("mallory@example.com");
    request["category"] = json!("billing");
    request["fields"] = json!({ "plan": "Platinum" });
    // Signed with the previous secret: a rotation in progress.
    request["identity"] = json!(sign(PREVIOUS, &hs256(), &claims(&site, now() + 600)));
    let created = api.create_ticket(&site, &request, &unique("k"));
    assert_eq!(created.status, 201, "{}", created.body);
    let stored = api.tickets(&site, &token).into_iter().find(|t| t["id"] == created.json()["id"]).expect("stored");
    assert_eq!(stored["email"], "irina@example.com");
    assert_eq!(stored["name"], "Ирина");
    assert_eq!(
        stored["verified"],
        json!({ "id": "cust-7", "email": "irina@example.com", "name": "Ирина",
        "fields": { "plan": "Gold" } })
    );
    assert_eq!(stored["fields"], json!({}), "the forged value does not sit beside the verified one");

    // On another device, a fresh token of the same customer finds the request and opens it.
    let mine = |identity: String| {
        api.post_json(&format!("/v1/sites/{site}/tickets/mine"), &json!({ "identity": identity }), &[])
    };
    let found = mine(sign(CURRENT, &hs256(), &claims(&site, now() + 600))).json();
    let id = created.json()["id"].clone();
    assert_eq!(found["tickets"][0]["id"], id, "{found}");
    let access = found["tickets"][0]["access_token"].as_str().unwrap_or_default().to_owned();
    let thread = api.get(
        &format!("/v1/tickets/{}", id.as_str().unwrap_or_default()),
        &[("Authorization", &format!("Bearer {access}"))],
    );
    assert_eq!(thread.status, 200, "{}", thread.body);
    let mut someone_else = claims(&site, now() + 600);
    someone_else["sub"] = json!("cust-8");
    assert_eq!(mine(sign(CURRENT, &hs256(), &someone_else)).json()["tickets"], json!([]));
    assert_eq!(mine(sign(CURRENT, &hs256(), &claims(&site, now() - 1))).error_fields(), ["identity"]);

    // Without a token the same request is filed, unverified.
    request["identity"] = Value::Null;
    let plain = api.create_ticket(&site, &request, &unique("k")).json();
    let stored = api.tickets(&site, &token).into_iter().find(|t| t["id"] == plain["id"]).expect("stored");
    assert_eq!((stored["email"].as_str(), &stored["verified"]), (Some("mallory@example.com"), &Value::Null));
    assert_eq!(stored["fields"], json!({ "plan": "Platinum" }));

    // The widget learns that identity is on only as far as it needs; secrets never leave.
    let public = api.get(&format!("/v1/sites/{site}/config"), &[]);
    assert_eq!(public.json()["identity_required"], false);
    assert!(!public.body.contains(CURRENT) && !public.body.contains(PREVIOUS));
}

#[test]
fn forged_expired_and_other_sites_tokens_are_refused() {
    let api = Api::from_env();
    let (site, _) = site_with_identity(&api, false);
    let with = |token: String| {
        let mut request = ticket("Who am I");
        request["identity"] = json!(token);
        request
    };
    let fresh = now() + 600;
    assert_eq!(refusal(&api, &site, &with(sign(CURRENT, &hs256(), &claims(&site, now() - 5)))), "identity_expired");
    let too_long = sign(CURRENT, &hs256(), &claims(&site, now() + 3 * 24 * 3600));
    assert_eq!(refusal(&api, &site, &with(too_long)), "identity_expired");
    let no_exp = sign(CURRENT, &hs256(), &json!({ "sub": "x", "aud": site }));
    assert_eq!(refusal(&api, &site, &with(no_exp)), "identity_expired");
    let wrong_key = sign("someone-else-entirely-0123456789-abc", &hs256(), &claims(&site, fresh));
    assert_eq!(refusal(&api, &site, &with(wrong_key)), "identity_invalid");
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(json!({ "alg": "none" }).to_string()),
        URL_SAFE_NO_PAD.encode(claims(&site, fresh).to_string())
    );
    assert_eq!(refusal(&api, &site, &with(none)), "identity_invalid");
    let elsewhere = sign(CURRENT, &hs256(), &claims("another-site", fresh));
    assert_eq!(refusal(&api, &site, &with(elsewhere)), "identity_invalid");
    // A payload swapped under a real signature.
    let real = sign(CURRENT, &hs256(), &claims(&site, fresh));
    let parts: Vec<&str> = real.split('.').collect();
    let mut richer = claims(&site, fresh);
    richer["fields"]["plan"] = json!("Platinum");
    let swapped = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(richer.to_string()), parts[2]);
    assert_eq!(refusal(&api, &site, &with(swapped)), "identity_invalid");
    assert_eq!(refusal(&api, &site, &with("not.a.jwt".into())), "identity_invalid");
}

#[test]
fn a_site_may_require_signed_customers_and_its_secrets_must_be_strong() {
    let api = Api::from_env();
    let (site, token) = site_with_identity(&api, true);
    assert_eq!(refusal(&api, &site, &ticket("Anonymous")), "required");
    assert_eq!(api.get(&format!("/v1/sites/{site}/config"), &[]).json()["identity_required"], true);
    let mut signed = ticket("Signed in");
    signed["identity"] = json!(sign(CURRENT, &hs256(), &claims(&site, now() + 60)));
    assert_eq!(api.create_ticket(&site, &signed, &unique("k")).status, 201);

    let mut config = api.get_as(&format!("/v1/admin/sites/{site}/config"), &token).json();
    config["identity"] = json!({ "secrets": ["short", CURRENT, PREVIOUS], "required": true });
    let fields = api.put_config(&site, &token, &config).error_fields();
    assert_eq!(fields, ["identity.secrets", "identity.secrets[0]"]);
}

#[test]
fn a_vk_mini_app_launch_vouches_for_its_user_without_an_email() {
    let api = Api::from_env();
    let (site, token) = api.own_site("vkapp");
    let key = "api-test-vk-secure-key";
    let community = json!({ "vk": { "group_id": 1, "confirmation": "abc123", "secret": "cbsecret",
        "access_token": "community-token-xxxxxxxxxx", "app_id": 51000000, "app_secret": key } });
    let connected = api.put_channels(&site, &token, &community);
    assert_eq!(connected.status, 200, "{}", connected.body);
    assert!(!connected.body.contains(key), "the key is never shown");
    let params = format!("vk_app_id=51000000&vk_ts={}&vk_user_id=494075", now());
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(params.as_bytes());
    let sign = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    let mut request = ticket("From the VK app");
    request["email"] = json!("");
    request["launch"] = json!(format!("site={site}&mode=page&{params}&sign={sign}"));
    let created = api.create_ticket(&site, &request, &unique("k"));
    assert_eq!(created.status, 201, "{}", created.body);
    let stored = api.tickets(&site, &token).into_iter().find(|t| t["id"] == created.json()["id"]).expect("stored");
    assert_eq!((stored["verified"]["id"].as_str(), stored["email"].as_str()), (Some("vk:494075"), Some("")));

    request["launch"] = json!(format!("site={site}&mode=page&{}&sign={sign}", params.replace("494075", "1")));
    let problem = api.create_ticket(&site, &request, &unique("k")).problem(422);
    assert_eq!(problem["errors"][0]["field"], "launch", "{problem}");
    request["launch"] = Value::Null;
    assert_eq!(
        api.create_ticket(&site, &request, &unique("k")).error_fields(),
        ["email"],
        "no one vouches: email needed"
    );
}

#[test]
fn an_ok_app_launch_vouches_for_its_user_and_a_forged_one_is_refused() {
    let api = Api::from_env();
    let (site, token) = api.own_site("okapp");
    let connected = api.put_channels(&site, &token, &json!({ "ok": { "app_secret": "OK-APP-SECRET" } }));
    assert_eq!(connected.status, 200, "{}", connected.body);
    assert_eq!(connected.json()["ok"]["app_secret_set"], true);
    assert!(!connected.body.contains("OK-APP-SECRET"));
    // md5(logged_user_id + session_key + the app's secret key), as OK signs a launch.
    let auth_sig = format!("{:x}", <md5::Md5 as md5::Digest>::digest(b"577001session-key-1OK-APP-SECRET"));
    let launch = format!("application_key=CBA&logged_user_id=577001&session_key=session-key-1&auth_sig={auth_sig}");
    let mut request = ticket("From the OK app");
    request["email"] = json!("");
    request["launch"] = json!(launch);
    let created = api.create_ticket(&site, &request, &unique("k"));
    assert_eq!(created.status, 201, "{}", created.body);
    let stored = api.tickets(&site, &token).into_iter().find(|t| t["id"] == created.json()["id"]).expect("stored");
    assert_eq!(stored["verified"]["id"], "ok:577001");
    request["launch"] = json!(launch.replace("577001", "577002"));
    assert_eq!(api.create_ticket(&site, &request, &unique("k")).problem(422)["errors"][0]["field"], "launch");
}
