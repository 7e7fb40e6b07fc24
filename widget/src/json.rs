//! JSON in and out of the widget: the browser's own `JSON.parse` and `JSON.stringify`, and
//! between them core's plain tree (`tabdesk_core::json`), read into the wire types by core's
//! impls. No serde: its derived visitors were 73 KB gzip of the first screen (measured with
//! every call here stubbed out), where these conversions are two small functions.

use js_sys::{Array, Object, Reflect};
use tabdesk_core::json::{FromJson, Json, ToJson};
use wasm_bindgen::{JsCast, JsValue};

/// A value from JSON text; anything that does not read as a `T` is `None`.
pub fn decode<T: FromJson>(text: &str) -> Option<T> {
    T::from_json(&parse(text)?)
}

/// JSON text as core's tree: one instance for every type `decode` reads.
#[inline(never)]
fn parse(text: &str) -> Option<Json> {
    Some(tree(&js_sys::JSON::parse(text).ok()?))
}

/// A value from what the browser already parsed (a message's data).
pub fn from_js<T: FromJson>(value: JsValue) -> Option<T> {
    T::from_json(&tree(&value))
}

/// A plain JS value (objects and arrays), as `JSON.stringify` and `postMessage` take.
pub fn to_js<T: ToJson + ?Sized>(value: &T) -> JsValue {
    js(&value.to_json())
}

/// `value` as JSON text.
pub fn encode<T: ToJson + ?Sized>(value: &T) -> Option<String> {
    stringify(&value.to_json())
}

/// Core's tree as JSON text: one instance for every type `encode` writes.
#[inline(never)]
fn stringify(json: &Json) -> Option<String> {
    js_sys::JSON::stringify(&js(json)).ok()?.as_string()
}

/// What the browser parsed, as core's tree (functions and the like read as `null`).
fn tree(value: &JsValue) -> Json {
    if let Some(b) = value.as_bool() {
        Json::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Json::Number(n)
    } else if let Some(s) = value.as_string() {
        Json::String(s)
    } else if let Some(items) = value.dyn_ref::<Array>() {
        Json::Array(items.iter().map(|item| tree(&item)).collect())
    } else if value.is_object() && !value.is_function() {
        let entries = Object::entries(value.unchecked_ref());
        let members = entries.iter().filter_map(|entry| {
            let pair = entry.dyn_into::<Array>().ok()?;
            Some((pair.get(0).as_string()?, tree(&pair.get(1))))
        });
        Json::Object(members.collect())
    } else {
        Json::Null
    }
}

/// Core's tree as a plain JS value.
fn js(json: &Json) -> JsValue {
    match json {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => JsValue::from_bool(*b),
        Json::Number(n) => JsValue::from_f64(*n),
        Json::String(s) => JsValue::from_str(s),
        Json::Array(items) => items.iter().map(js).collect::<Array>().into(),
        Json::Object(members) => {
            let object = Object::new();
            for (name, value) in members {
                let _ = Reflect::set(&object, &JsValue::from_str(name), &js(value));
            }
            object.into()
        }
    }
}
