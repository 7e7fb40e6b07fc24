//! JSON as a plain tree of values, and the wire types the widget sends and reads, written to it
//! and read from it without serde.
//!
//! Why a second codec beside serde's derives: in wasm, each type serde derives is a visitor
//! monomorphised over the deserializer, and the widget's first screen carried 73 KB gzip of such
//! code (its module measured with every JSON call stubbed out: 267 → 194 KB). The browser already
//! parses and prints JSON (`JSON.parse`, `JSON.stringify`); the widget turns its values into a
//! [`Json`] and back, and the impls here read and write the types' fields by name — a few calls
//! each, not generic over anything. They follow the types' serde attributes exactly: `tests`
//! checks every type against serde_json both ways, so the two cannot drift apart.
//!
//! Only what the widget needs is here. Every other end (the worker, the console, the tests)
//! keeps serde.

use std::collections::BTreeMap;

use crate::domain::{Later, SmallMap};

pub use crate::domain::Json;

/// A type read from a [`Json`]; `None` when the value does not have its shape.
pub trait FromJson: Sized {
    fn from_json(json: &Json) -> Option<Self>;

    /// The value of a member left out of its object: none for most types (the object does not
    /// read), `None` for an `Option`, as serde's derive has it.
    fn missing() -> Option<Self> {
        None
    }
}

/// A type written as a [`Json`].
pub trait ToJson {
    fn to_json(&self) -> Json;

    /// Whether a member marked `skip` (serde's `skip_serializing_if`) is left out: an absent
    /// option, an empty list.
    fn skipped(&self) -> bool {
        false
    }
}

/// Reads member `name` of `object`: as its type says when present, else its type's
/// [`FromJson::missing`], or its `Default` when the member is marked `default` (serde's
/// `#[serde(default)]`).
pub fn member<T: FromJson>(object: &Json, name: &str, default: Option<fn() -> T>) -> Option<T> {
    match object.get(name) {
        Some(value) => T::from_json(value),
        None => default.map(|d| d()).or_else(T::missing),
    }
}

/// The [`FromJson`] and [`ToJson`] of a struct with named fields: `field`, `field: "name"` for a
/// member named otherwise (serde's `rename`), `field = default` for one that may be left out
/// (`#[serde(default)]` on the field), `field = skip` for one that is left out when empty
/// (`default` and `skip_serializing_if` together). `default Type { … }` is serde's
/// `#[serde(default)]` on the struct: a member left out takes its value in `Type::default()`.
#[macro_export]
macro_rules! json_object {
    (default $ty:ident { $($field:ident $(: $name:literal)? $(= $how:ident)?),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(json: &$crate::json::Json) -> Option<Self> {
                if !matches!(json, $crate::json::Json::Object(_)) {
                    return None;
                }
                let mut read = <$ty as Default>::default();
                $(
                    if let Some(value) = json.get($crate::json_object!(@name $field $($name)?)) {
                        read.$field = $crate::json::FromJson::from_json(value)?;
                    }
                )*
                Some(read)
            }
        }

        $crate::json_object!(@write $ty { $($field $(: $name)? $(= $how)?),* });
    };
    ($ty:ident { $($field:ident $(: $name:literal)? $(= $how:ident)?),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(json: &$crate::json::Json) -> Option<Self> {
                if !matches!(json, $crate::json::Json::Object(_)) {
                    return None;
                }
                Some($ty {
                    $($field: $crate::json::member(
                        json,
                        $crate::json_object!(@name $field $($name)?),
                        $crate::json_object!(@default $($how)?),
                    )?,)*
                })
            }
        }

        $crate::json_object!(@write $ty { $($field $(: $name)? $(= $how)?),* });
    };
    (@write $ty:ident { $($field:ident $(: $name:literal)? $(= $how:ident)?),* }) => {
        impl $crate::json::ToJson for $ty {
            fn to_json(&self) -> $crate::json::Json {
                let mut members = Vec::new();
                $(
                    if !($crate::json_object!(@skips $($how)?) && $crate::json::ToJson::skipped(&self.$field)) {
                        members.push((
                            $crate::json_object!(@name $field $($name)?).to_owned(),
                            $crate::json::ToJson::to_json(&self.$field),
                        ));
                    }
                )*
                $crate::json::Json::Object(members)
            }
        }
    };
    (@name $field:ident $name:literal) => { $name };
    (@name $field:ident) => { stringify!($field) };
    (@default) => { None };
    (@default default) => { Some(Default::default) };
    (@default skip) => { Some(Default::default) };
    (@skips) => { false };
    (@skips default) => { false };
    (@skips skip) => { true };
}

/// The [`FromJson`] and [`ToJson`] of an enum of unit variants written as strings, from the
/// type's own `as_str` and `parse`.
macro_rules! json_names {
    ($($ty:ty),*) => {$(
        impl $crate::json::FromJson for $ty {
            fn from_json(json: &$crate::json::Json) -> Option<Self> {
                <$ty>::parse(json.as_str()?)
            }
        }

        impl $crate::json::ToJson for $ty {
            fn to_json(&self) -> $crate::json::Json {
                $crate::json::Json::String(self.as_str().to_owned())
            }
        }
    )*};
}
// After the macros, which they use.
mod wire;

#[cfg(test)]
mod tests;

impl FromJson for Json {
    fn from_json(json: &Json) -> Option<Self> {
        Some(json.clone())
    }
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
}

/// Kept as read: decoded by [`Later::read`] where it is needed.
impl<T> FromJson for Later<T> {
    fn from_json(json: &Json) -> Option<Self> {
        Some(Later::Json(json.clone()))
    }
}

impl<T: ToJson> ToJson for Later<T> {
    fn to_json(&self) -> Json {
        match self {
            Later::Value(value) => value.to_json(),
            Later::Json(json) => json.clone(),
        }
    }
}

/// Equal when both read as the same value, whichever form each holds.
impl<T: FromJson + Clone + PartialEq> PartialEq for Later<T> {
    fn eq(&self, other: &Self) -> bool {
        self.read() == other.read()
    }
}

impl<T: FromJson + Clone> Later<T> {
    /// The value: decoded now if it was kept as JSON (`None` if that JSON is not one).
    pub fn read(&self) -> Option<T> {
        match self {
            Later::Value(value) => Some(value.clone()),
            Later::Json(json) => T::from_json(json),
        }
    }
}

impl FromJson for String {
    fn from_json(json: &Json) -> Option<Self> {
        json.as_str().map(str::to_owned)
    }
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::String(self.clone())
    }
}

impl FromJson for bool {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

/// Whole numbers: a JSON number that is whole and in the type's range (what serde takes).
macro_rules! whole_numbers {
    ($($ty:ty),*) => {$(
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Option<Self> {
                match json {
                    Json::Number(n) if n.fract() == 0.0 && *n >= <$ty>::MIN as f64 && *n <= <$ty>::MAX as f64 => {
                        Some(*n as $ty)
                    }
                    _ => None,
                }
            }
        }

        impl ToJson for $ty {
            fn to_json(&self) -> Json {
                Json::Number(*self as f64)
            }
        }
    )*};
}
whole_numbers!(u8, u16, u32, u64, usize, i32, i64);

impl FromJson for f64 {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Json {
        Json::Number(*self)
    }
}

impl FromJson for f32 {
    fn from_json(json: &Json) -> Option<Self> {
        f64::from_json(json).map(|n| n as f32)
    }
}

impl ToJson for f32 {
    fn to_json(&self) -> Json {
        Json::Number(f64::from(*self))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Null => Some(None),
            value => T::from_json(value).map(Some),
        }
    }

    fn missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or(Json::Null, ToJson::to_json)
    }

    fn skipped(&self) -> bool {
        self.is_none()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            // A loop, not `collect` into an `Option`: that adapter cost the widget 12 KB of wasm.
            Json::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items {
                    list.push(T::from_json(item)?);
                }
                Some(list)
            }
            _ => None,
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(ToJson::to_json).collect())
    }

    fn skipped(&self) -> bool {
        self.is_empty()
    }
}

impl<T: FromJson, const N: usize> FromJson for [T; N] {
    fn from_json(json: &Json) -> Option<Self> {
        Vec::<T>::from_json(json)?.try_into().ok()
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(ToJson::to_json).collect())
    }
}

/// What names a map's members: text, or a value written as text (a language).
pub trait Key: Ord + Sized {
    fn from_key(key: &str) -> Option<Self>;
    fn key(&self) -> &str;
}

impl Key for String {
    fn from_key(key: &str) -> Option<Self> {
        Some(key.to_owned())
    }

    fn key(&self) -> &str {
        self
    }
}

/// A map's members read one by one, in the map's own `insert`: collecting a map sorts its items
/// first, 9 KB of wasm.
fn read_map<M: Default, K: Key, V: FromJson>(json: &Json, insert: impl Fn(&mut M, K, V)) -> Option<M> {
    let Json::Object(members) = json else { return None };
    let mut map = M::default();
    for (k, v) in members {
        insert(&mut map, K::from_key(k)?, V::from_json(v)?);
    }
    Some(map)
}

fn write_map<'a, K: Key + 'a, V: ToJson + 'a>(items: impl Iterator<Item = (&'a K, &'a V)>) -> Json {
    Json::Object(items.map(|(k, v)| (k.key().to_owned(), v.to_json())).collect())
}

impl<K: Key, V: FromJson> FromJson for BTreeMap<K, V> {
    fn from_json(json: &Json) -> Option<Self> {
        read_map(json, |map: &mut Self, k, v| _ = map.insert(k, v))
    }
}

impl<K: Key, V: ToJson> ToJson for BTreeMap<K, V> {
    fn to_json(&self) -> Json {
        write_map(self.iter())
    }
}

impl<K: Key, V: FromJson> FromJson for SmallMap<K, V> {
    fn from_json(json: &Json) -> Option<Self> {
        read_map(json, |map: &mut Self, k, v| _ = map.insert(k, v))
    }
}

impl<K: Key, V: ToJson> ToJson for SmallMap<K, V> {
    fn to_json(&self) -> Json {
        write_map(self.iter())
    }
}

/// The form's free fields are [`Json`] on the wire types (serde_json's `Value` would bring its
/// `BTreeMap` to the widget), and serde_json's `Value` where the worker stores them: the same
/// tree, converted.
impl FromJson for serde_json::Value {
    fn from_json(json: &Json) -> Option<Self> {
        use serde_json::Value;
        Some(match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            // Whole numbers stay integers, as serde_json reads them from text.
            Json::Number(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => Value::from(*n as i64),
            Json::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().filter_map(serde_json::Value::from_json).collect()),
            Json::Object(members) => Value::Object(
                members.iter().filter_map(|(k, v)| Some((k.clone(), serde_json::Value::from_json(v)?))).collect(),
            ),
        })
    }
}

impl ToJson for serde_json::Value {
    fn to_json(&self) -> Json {
        use serde_json::Value;
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(Json::Null, Json::Number),
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(ToJson::to_json).collect()),
            Value::Object(members) => Json::Object(members.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

/// Through serde (the worker's and the tests' ends) a [`Json`] is what serde_json's `Value` is:
/// written and read as one, whole numbers as integers.
impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::Value::from_json(self).unwrap_or_default().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(|v| v.to_json())
    }
}
