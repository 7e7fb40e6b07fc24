//! Identifiers. Randomness and the clock come from the caller (worker or widget), so that this
//! module stays pure and testable.

use ulid::Ulid;

use super::limits::MAX_KEY_CHARS;

/// A ULID: 26 Crockford base32 characters, sortable by creation time, 80 random bits.
pub fn new_id(unix_ms: u64, random: [u8; 16]) -> String {
    // ULIDs carry 48 bits of time and 80 of randomness; the top 48 random bits are dropped.
    let random = u128::from_be_bytes(random) & ((1u128 << 80) - 1);
    Ulid::from_parts(unix_ms, random).to_string()
}

/// True for a string shaped like an id this module makes, so that junk never reaches a query.
pub fn is_id(s: &str) -> bool {
    s.len() == 26 && Ulid::from_string(s).is_ok()
}

/// Whether a client's `Idempotency-Key` is usable: 1 to [`MAX_KEY_CHARS`] ASCII letters, digits,
/// `-` or `_` (a UUID, as the widget makes with `crypto.randomUUID()`, fits).
pub fn is_idempotency_key(key: &str) -> bool {
    (1..=MAX_KEY_CHARS).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The human ticket number agents and customers quote, such as `DEMO-1042`.
pub fn ticket_number(site: &str, number: i64) -> String {
    format!("{}-{}", site.to_ascii_uppercase(), number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_time_and_parse_back() {
        let a = new_id(1_700_000_000_000, [7; 16]);
        let b = new_id(1_700_000_000_001, [0; 16]);
        assert_eq!(a.len(), 26);
        assert!(a < b);
        assert!(is_id(&a));
        assert!(!is_id("not-an-id"));
        assert!(!is_id("../../etc/passwd"));
    }

    #[test]
    fn idempotency_keys() {
        assert!(is_idempotency_key("3f2b9c1e-7d4a-4e8b-9a61-0c5d2e7f8a90"));
        assert!(is_idempotency_key("k_1"));
        for bad in ["", "a b", "ключ", "../x", &"a".repeat(101)] {
            assert!(!is_idempotency_key(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_name_the_site() {
        assert_eq!(ticket_number("demo", 1042), "DEMO-1042");
    }
}
