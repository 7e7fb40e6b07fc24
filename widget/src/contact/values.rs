//! The form's live values. Each part of the form reads and writes its own; a draft is a
//! snapshot of all of them, and a request is made from them.

use tabdesk_core::domain::SmallMap;
use tabdesk_core::json::Json;

use tabdesk_ui::cell::Cell;

#[derive(Clone, Copy)]
pub struct Values {
    /// Subject, message, email and name, in the order of `TicketField::ALL`.
    pub base: [Cell<String>; 4],
    /// The chosen category's id, or empty.
    pub category: Cell<String>,
    /// The values of the category's own fields, by field id.
    pub fields: Cell<SmallMap<String, Json>>,
}
