//! A part of a wire type that one end reads only when it needs it: the widget keeps the boot's
//! contact form as JSON until the form's module reads it (`crate::json` decodes it there), so
//! that the first screen carries none of the form's decoding. Every other end holds the value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Json;

/// The value, or the JSON it is to be read from. Serde writes and reads it as the value itself.
/// Two are equal when they read as the same value (`crate::json`), whichever form each holds.
#[derive(Debug, Clone)]
pub enum Later<T> {
    Value(T),
    Json(Json),
}

impl<T: Default> Default for Later<T> {
    fn default() -> Self {
        Later::Value(T::default())
    }
}

impl<T> From<T> for Later<T> {
    fn from(value: T) -> Self {
        Later::Value(value)
    }
}

impl<T: Serialize> Serialize for Later<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Later::Value(value) => value.serialize(serializer),
            Later::Json(json) => json.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Later<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Later::Value)
    }
}
