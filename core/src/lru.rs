//! A cache bounded in bytes, for what an isolate keeps between requests (sites, search
//! indexes). The least recently used entries leave first, and no single entry may take more
//! than its share: one tenant's big index is simply not kept, rather than pushing every other
//! tenant out. Hits and misses are counted so the worker can log its hit rate.

use std::collections::HashMap;

pub struct ByteLru<V> {
    entries: HashMap<String, Entry<V>>,
    budget: usize,
    max_entry: usize,
    used: usize,
    clock: u64,
    pub hits: u64,
    pub misses: u64,
}

struct Entry<V> {
    value: V,
    bytes: usize,
    used_at: u64,
}

impl<V> ByteLru<V> {
    /// A cache of at most `budget` bytes in all and `max_entry` bytes per entry.
    pub fn new(budget: usize, max_entry: usize) -> ByteLru<V> {
        ByteLru {
            entries: HashMap::new(),
            budget,
            max_entry: max_entry.min(budget),
            used: 0,
            clock: 0,
            hits: 0,
            misses: 0,
        }
    }

    /// The entry of `key`, counted as a hit (or a miss) and as just used.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.clock += 1;
        match self.entries.get_mut(key) {
            Some(entry) => {
                self.hits += 1;
                entry.used_at = self.clock;
                Some(&mut entry.value)
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }

    /// The entry of `key`, without counting a lookup or a use (to update what it holds).
    pub fn peek_mut(&mut self, key: &str) -> Option<&mut V> {
        self.entries.get_mut(key).map(|e| &mut e.value)
    }

    /// Keeps `value` under `key` (replacing what was there), making room by dropping the least
    /// recently used entries. Returns `false`, keeping nothing, when `bytes` is over the
    /// per-entry share.
    pub fn insert(&mut self, key: &str, value: V, bytes: usize) -> bool {
        if let Some(old) = self.entries.remove(key) {
            self.used -= old.bytes;
        }
        if bytes > self.max_entry {
            return false;
        }
        while self.used + bytes > self.budget {
            let Some(oldest) = self.entries.iter().min_by_key(|(_, e)| e.used_at).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some(gone) = self.entries.remove(&oldest) {
                self.used -= gone.bytes;
            }
        }
        self.clock += 1;
        self.used += bytes;
        self.entries.insert(key.to_owned(), Entry { value, bytes, used_at: self.clock });
        true
    }

    /// Bytes held, and entries.
    pub fn size(&self) -> (usize, usize) {
        (self.used, self.entries.len())
    }

    /// Hits per lookup, from 0 to 1 (0 before any lookup).
    pub fn hit_rate(&self) -> f64 {
        let lookups = self.hits + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits as f64 / lookups as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_and_never_takes_an_oversized_entry() {
        let mut cache = ByteLru::new(100, 60);
        assert!(cache.insert("a", 1, 40));
        assert!(cache.insert("b", 2, 40));
        assert_eq!(cache.get_mut("a").copied(), Some(1), "a is now the most recent");
        assert!(cache.insert("c", 3, 40), "room is made by dropping b");
        assert_eq!(cache.get_mut("b"), None);
        assert_eq!((cache.get_mut("a").copied(), cache.get_mut("c").copied()), (Some(1), Some(3)));
        assert!(!cache.insert("huge", 9, 61), "one tenant's big value is not kept");
        assert_eq!(cache.size(), (80, 2), "and it pushed nobody out");
        assert!(cache.insert("a", 10, 10), "replacing frees the old size");
        assert_eq!(cache.size(), (50, 2));
        assert_eq!((cache.hits, cache.misses), (3, 1));
        assert!((cache.hit_rate() - 0.75).abs() < 1e-9);
    }
}
