//! A map of a handful of items (a text per language, the items the host page keeps for the
//! widget), kept as one sorted list: ICU4X's `LiteMap`, whose code costs the widget a fraction of
//! a `BTreeMap`'s (its first screen 6.6 KB gzip lighter with the two maps it reads at start).
//!
//! On the wire it is a JSON object, always: `LiteMap`'s own serde writes an empty map, or one
//! whose keys are not text, as a list of pairs, and reads either. Fields of this type tell the
//! OpenAPI document `value_type = BTreeMap<…>`, the same object.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

use litemap::LiteMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallMap<K, V>(LiteMap<K, V>);

impl<K, V> SmallMap<K, V> {
    pub fn new() -> Self {
        SmallMap(LiteMap::new())
    }
}

impl<K: Ord + Clone, V> SmallMap<K, V> {
    /// Takes out the item with the smallest key, as `BTreeMap::pop_first` does (`LiteMap` has
    /// no such call).
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        let key = self.0.first()?.0.clone();
        self.0.remove(&key).map(|value| (key, value))
    }
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap::new()
    }
}

impl<K, V> Deref for SmallMap<K, V> {
    type Target = LiteMap<K, V>;

    fn deref(&self) -> &LiteMap<K, V> {
        &self.0
    }
}

impl<K, V> DerefMut for SmallMap<K, V> {
    fn deref_mut(&mut self) -> &mut LiteMap<K, V> {
        &mut self.0
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SmallMap<K, V> {
    fn from(items: [(K, V); N]) -> Self {
        items.into_iter().collect()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SmallMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        SmallMap(items.into_iter().collect())
    }
}

impl<K, V> IntoIterator for SmallMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_tuple_vec().into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SmallMap<K, V> {
    type Item = <&'a LiteMap<K, V> as IntoIterator>::Item;
    type IntoIter = <&'a LiteMap<K, V> as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        (&self.0).into_iter()
    }
}

impl<K: Serialize, V: Serialize> Serialize for SmallMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter())
    }
}

/// Read as a `BTreeMap` reads (an object, nothing else; a repeated key keeps its last value):
/// only the worker and the console read these with serde, the widget with `core::json`.
impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SmallMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<K, V>::deserialize(deserializer)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::SmallMap;
    use crate::domain::Locale;

    #[test]
    fn an_object_on_the_wire_even_empty() {
        let empty = SmallMap::<Locale, String>::new();
        assert_eq!(serde_json::to_string(&empty).ok().as_deref(), Some("{}"));
        let text: SmallMap<Locale, String> =
            [(Locale::Ru, "Помощь".to_owned()), (Locale::En, "Help".to_owned())].into();
        assert_eq!(serde_json::to_string(&text).ok().as_deref(), Some(r#"{"en":"Help","ru":"Помощь"}"#));
        let read: Result<SmallMap<Locale, String>, _> = serde_json::from_str(r#"{"ru":"Помощь","en":"Help"}"#);
        assert_eq!(read.ok(), Some(text));
        assert!(
            serde_json::from_str::<SmallMap<Locale, String>>(r#"[["en","Help"]]"#).is_err(),
            "a list of pairs is not read"
        );
    }

    #[test]
    fn pop_first_takes_the_smallest_key_until_none_is_left() {
        let mut map = SmallMap::from([("b", 2), ("a", 1)]);
        assert_eq!(map.pop_first(), Some(("a", 1)));
        assert_eq!(map.pop_first(), Some(("b", 2)));
        assert_eq!(map.pop_first(), None);
    }
}
