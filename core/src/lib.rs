//! Tabdesk core: everything that decides, with no I/O and no platform crate.
//!
//! The worker, the widget and the console are thin adapters around these modules, so one
//! definition of every wire type and rule serves both ends of each request.

pub mod agents;
pub mod arrival;
pub mod channel;
pub mod config;
pub mod decimal;
pub mod domain;
pub mod form;
pub mod i18n;
pub mod identity;
pub mod json;
pub mod kb;
pub mod launch;
pub mod lru;
pub mod origin;
pub mod problem;
pub mod schema;
pub mod site;
pub mod sla;
pub mod stats;
pub mod text;
pub mod ticket;
pub mod token;
pub mod triage;
pub mod url;
pub mod validate;
pub mod webhook;
pub mod wire;
