//! A JSON value as a plain tree: what `crate::json` reads the wire types from and writes them
//! to, and the type of the form's free fields on the wire (here, below the wire types, so that
//! they can name it).

/// A JSON value. Objects keep their members in order, as a list: they are small, and a list
/// costs the widget less code than a map.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `name` of an object (`None` for a missing member or a value that is not an
    /// object).
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}
