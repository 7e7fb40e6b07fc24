//! What core leaves to the platform: the clock and randomness.

use worker::js_sys::{self, Reflect};
use worker::wasm_bindgen::JsCast;

use crate::http::ApiError;

/// `N` bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
pub fn random<const N: usize>() -> Result<[u8; N], ApiError> {
    let crypto: web_sys::Crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .map_err(|_| ApiError::internal("crypto is not available"))?
        .unchecked_into();
    let mut buf = [0u8; N];
    crypto.get_random_values_with_u8_array(&mut buf).map_err(|_| ApiError::internal("getRandomValues failed"))?;
    Ok(buf)
}

pub fn now_ms() -> u64 {
    worker::Date::now().as_millis()
}

/// Now as RFC 3339 in UTC, the form every timestamp of the API takes.
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}
