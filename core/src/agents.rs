//! Agents of a site and what each role may do. The site's admin token acts as an admin; agents
//! get tokens of their own (`POST /v1/admin/sites/{site}/agents`), stored hashed like every token.

use email_address::EmailAddress;

use crate::domain::FieldError;
use crate::wire::{NewAgent, Role};

/// What a request asks to do with a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read and answer the queue: tickets, threads, statuses, assignments.
    WorkQueue,
    /// Change the site's configuration.
    Configure,
    /// Publish the knowledge base.
    PublishKb,
    /// Invite and revoke agents.
    ManageAgents,
}

/// Whether `role` may do `action`: agents work the queue; admins do everything.
pub fn may(role: Role, action: Action) -> bool {
    role == Role::Admin || action == Action::WorkQueue
}

/// Problems of an invitation (agent-facing, in English).
pub fn validate_new_agent(agent: &NewAgent) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let name = agent.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new("name", "invalid", "1-100 characters."));
    }
    if !EmailAddress::is_valid(agent.email.trim()) {
        errors.push(FieldError::new("email", "invalid_email", "An email address."));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_work_the_queue_and_admins_do_everything() {
        for action in [Action::WorkQueue, Action::Configure, Action::PublishKb, Action::ManageAgents] {
            assert!(may(Role::Admin, action));
            assert_eq!(may(Role::Agent, action), action == Action::WorkQueue, "{action:?}");
        }
    }

    #[test]
    fn invitations_need_a_name_and_an_email() {
        let ok = NewAgent { name: "Olga".into(), email: "olga@shop.example".into(), role: Role::Agent };
        assert!(validate_new_agent(&ok).is_empty());
        let bad = NewAgent { name: " ".into(), email: "olga@".into(), role: Role::Admin };
        let fields: Vec<String> = validate_new_agent(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email"]);
    }
}
