//! Sealing values with AES-GCM (WebCrypto) before they leave the iframe for the host page's
//! storage, where the host page's scripts can read them: with a key that stays in the iframe,
//! what they read is noise, and what they change or move fails to open.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, SubtleCrypto};

const AES_GCM: &str = "AES-GCM";
/// AES-GCM's recommended nonce size; a fresh random one per value.
const IV_BYTES: usize = 12;

fn crypto() -> Option<web_sys::Crypto> {
    web_sys::window()?.crypto().ok()
}

fn subtle() -> Option<SubtleCrypto> {
    crypto().map(|c| c.subtle())
}

/// `n` bytes from the browser's CSPRNG.
pub fn random_bytes(n: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0; n];
    crypto()?.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes)
}

/// base64url without padding, through the browser's `btoa` (a few bytes of glue instead of a
/// crate in the widget's bundle).
pub fn base64url(bytes: &[u8]) -> Option<String> {
    // `btoa` takes a "binary string": one UTF-16 unit per byte.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let standard = web_sys::window()?.btoa(&binary).ok()?;
    Some(standard.trim_end_matches('=').replace('+', "-").replace('/', "_"))
}

/// The bytes of base64url text (padded or not); `None` if it is not base64url.
fn from_base64url(text: &str) -> Option<Vec<u8>> {
    if text.contains(['+', '/']) {
        return None;
    }
    let binary = web_sys::window()?.atob(&text.replace('-', "+").replace('_', "/")).ok()?;
    binary.chars().map(|c| u8::try_from(c).ok()).collect()
}

async fn promised(promise: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Option<wasm_bindgen::JsValue> {
    JsFuture::from(promise.ok()?).await.ok()
}

/// Imports the base64url text of a raw 256-bit key, non-extractable: no script, ours included,
/// can read it back out of the `CryptoKey`.
pub async fn import_key(raw: &str) -> Option<CryptoKey> {
    let bytes = from_base64url(raw).filter(|b| b.len() == 32)?;
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let imported = subtle()?.import_key_with_str("raw", &Uint8Array::from(&bytes[..]), AES_GCM, false, &usages);
    promised(imported).await?.dyn_into().ok()
}

/// AES-GCM parameters for `iv`, with `name` (the item's name) as additional data: a value
/// opens only under the name it was sealed for, so the host page cannot swap items around.
fn params(iv: &[u8], name: &str) -> AesGcmParams {
    let params = AesGcmParams::new(AES_GCM, &Uint8Array::from(iv));
    params.set_additional_data(&Uint8Array::from(name.as_bytes()));
    params
}

/// `value`, to be kept under `name` until `expires` (ms since the epoch), as base64url of a
/// fresh IV followed by the ciphertext. The expiry is sealed with the value (as
/// `"{expires}\n{value}"`: no serializer needed), so the host page can neither read nor extend it.
pub async fn seal(key: &CryptoKey, name: &str, value: &str, expires: u64) -> Option<String> {
    let plain = format!("{expires}\n{value}");
    let iv = random_bytes(IV_BYTES)?;
    let sealed = subtle()?.encrypt_with_object_and_u8_array(&params(&iv, name), key, plain.as_bytes());
    let cipher = Uint8Array::new(&promised(sealed).await?).to_vec();
    base64url(&[iv, cipher].concat())
}

/// The value sealed under `name`, if it opens with `key` and has not expired by `now`.
pub async fn open(key: &CryptoKey, name: &str, sealed: &str, now: u64) -> Option<String> {
    let bytes = from_base64url(sealed).filter(|b| b.len() > IV_BYTES)?;
    let (iv, cipher) = bytes.split_at(IV_BYTES);
    let opened = subtle()?.decrypt_with_object_and_u8_array(&params(iv, name), key, cipher);
    let plain = String::from_utf8(Uint8Array::new(&promised(opened).await?).to_vec()).ok()?;
    let (expires, value) = plain.split_once('\n')?;
    (expires.parse::<u64>().ok()? > now).then(|| value.to_owned())
}
