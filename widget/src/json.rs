//! JSON in and out of the widget, through the browser's own `JSON.parse` and `JSON.stringify`
//! (serde-wasm-bindgen in between) rather than serde_json's parser and printer: the browser
//! already carries both, and they were an eighth of the first screen's wasm. `serde_json::Value`
//! still types the form's free fields; only its small `Deserialize` comes along.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// A value from JSON text; anything that does not read as a `T` is `None`.
pub fn decode<T: DeserializeOwned>(text: &str) -> Option<T> {
    from_js(js_sys::JSON::parse(text).ok()?)
}

/// A value from what the browser already parsed (a message's data).
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    serde_wasm_bindgen::from_value(value).ok()
}

/// A plain JS value (objects, not `Map`s) for `value`, as `JSON.stringify` and `postMessage` take.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Option<JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()
}

/// `value` as JSON text.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    js_sys::JSON::stringify(&to_js(value)?).ok()?.as_string()
}
