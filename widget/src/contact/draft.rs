//! What the customer typed so far, kept across closing the panel and reloading the page: saved
//! on every change, taken back when the form opens, and taken late when the host page relays the
//! widget's storage after the form opened.

use tabdesk_core::domain::SmallMap;
use tabdesk_core::json::Json;

use leptos::prelude::*;
use tabdesk_core::json_object;
use tabdesk_core::validate::TicketField;
use tabdesk_core::wire::NewTicket;
use tabdesk_ui::cell::{effect, Cell};

use super::values::Values;
use crate::json;
use crate::visit::Visit;

#[derive(Clone, Default, PartialEq)]
struct Draft {
    base: [String; 4],
    category: String,
    fields: SmallMap<String, Json>,
}

json_object!(Draft { base, category, fields });

impl Draft {
    fn from_ticket(t: &NewTicket) -> Draft {
        Draft {
            base: TicketField::ALL.map(|f| f.value(t).to_owned()),
            category: t.category.clone().unwrap_or_default(),
            fields: t.fields.clone(),
        }
    }

    /// The form's values now (tracked).
    fn of(values: Values) -> Draft {
        Draft { base: values.base.map(|v| v.get()), category: values.category.get(), fields: values.fields.get() }
    }

    /// This draft with what the host page prefilled wherever it is empty.
    fn prefilled(mut self, given: &NewTicket) -> Draft {
        let given = Draft::from_ticket(given);
        for (mine, theirs) in self.base.iter_mut().zip(given.base) {
            if mine.is_empty() {
                *mine = theirs;
            }
        }
        if self.category.is_empty() {
            self.category = given.category;
        }
        for (key, value) in given.fields {
            self.fields.entry(key).or_insert(value);
        }
        self
    }

    fn fill(self, values: Values) {
        for (signal, value) in values.base.iter().zip(self.base) {
            signal.set(value);
        }
        values.category.set(self.category);
        values.fields.set(self.fields);
    }
}

fn key(visit: Visit) -> String {
    format!("tabdesk:{}:draft", visit.site.get_value())
}

fn load(visit: Visit) -> Option<Draft> {
    visit.store.load::<Draft>(&key(visit))
}

/// The form's first values: those of `refused` (a request the server refused while queued),
/// else the saved draft, else empty ones.
pub fn start(visit: Visit, refused: Option<&NewTicket>) -> Values {
    let Draft { base, category, fields } = refused.map(Draft::from_ticket).or_else(|| load(visit)).unwrap_or_default();
    Values { base: base.map(Cell::new), category: Cell::new(category), fields: Cell::new(fields) }
}

/// Keeps the draft of `values` while the form lives.
pub fn keep(visit: Visit, values: Values) {
    // A draft relayed by the host page may arrive after the form opened: take it if the
    // customer has not started typing here.
    effect(move || {
        if visit.restored.get() {
            let untouched = values.base.iter().all(|v| v.with_untracked(String::is_empty));
            if let (true, Some(draft)) = (untouched, load(visit)) {
                draft.fill(values);
            }
        }
    });
    // What the host page prefilled (`Tabdesk('prefill', …)`, before or while the form shows)
    // goes where the customer has typed nothing.
    effect(move || {
        if let Some(given) = visit.prefill.get().and_then(|text| json::decode::<NewTicket>(&text)) {
            untrack(|| Draft::of(values)).prefilled(&given).fill(values);
        }
    });
    // Save the draft on every change, but only once the customer has typed something.
    effect(move || {
        let draft = Draft::of(values);
        if draft != Draft::default() {
            visit.store.save(&key(visit), &draft);
        }
    });
}

/// Forgets the draft: its request was sent.
pub fn discard(visit: Visit) {
    visit.store.remove(&key(visit));
}

/// Empties the form and forgets its draft: the customer discarded the request.
pub fn clear(visit: Visit, values: Values) {
    Draft::default().fill(values);
    discard(visit);
}
