//! The error answers of the API, built in one place so every endpoint words them alike.

use serde::de::DeserializeOwned;

use crate::domain::FieldError;
use crate::wire::Problem;

fn problem(status: u16, slug: &str, title: &str, detail: impl Into<String>) -> Problem {
    Problem {
        kind: format!("/docs/problems#{slug}"),
        title: title.to_owned(),
        status,
        detail: detail.into(),
        errors: Vec::new(),
        retry_after: None,
    }
}

pub fn malformed_json(detail: impl Into<String>) -> Problem {
    problem(400, "malformed-json", "Malformed JSON", detail)
}

pub fn bad_request(detail: impl Into<String>) -> Problem {
    problem(400, "bad-request", "Bad request", detail)
}

pub fn unauthorized() -> Problem {
    problem(401, "unauthorized", "Unauthorized", "Send a valid token as `Authorization: Bearer <token>`.")
}

pub fn not_found(detail: impl Into<String>) -> Problem {
    problem(404, "not-found", "Not found", detail)
}

pub fn method_not_allowed() -> Problem {
    problem(405, "method-not-allowed", "Method not allowed", "This path does not accept this method.")
}

pub fn forbidden(detail: impl Into<String>) -> Problem {
    problem(403, "forbidden", "Forbidden", detail)
}

pub fn too_many_requests(retry_after: u32) -> Problem {
    Problem {
        retry_after: Some(retry_after),
        ..problem(429, "rate-limited", "Too many requests", format!("Slow down: try again in {retry_after} seconds."))
    }
}

pub fn conflict(detail: impl Into<String>) -> Problem {
    problem(409, "conflict", "Conflict", detail)
}

pub fn precondition_failed(detail: impl Into<String>) -> Problem {
    problem(412, "precondition-failed", "Precondition failed", detail)
}

pub fn payload_too_large(limit: usize) -> Problem {
    problem(413, "payload-too-large", "Payload too large", format!("The body must be at most {limit} bytes."))
}

pub fn unsupported_media_type() -> Problem {
    problem(415, "unsupported-media-type", "Unsupported media type", "Send the body as `application/json`.")
}

pub fn validation(errors: Vec<FieldError>) -> Problem {
    Problem {
        errors,
        ..problem(422, "validation", "Invalid request", "Some fields are missing or invalid; see `errors`.")
    }
}

/// For faults of ours: says nothing about the cause, which goes to the log instead.
pub fn internal() -> Problem {
    problem(500, "internal", "Internal error", "Something went wrong on our side; please try again.")
}

/// Whether a request that got `status` (or, with `None`, no answer at all: offline, timeout)
/// may succeed if sent again unchanged. Only these are retried (with the same key); any other
/// answer is final and shown to the customer, who may edit or discard the request.
pub fn is_transient(status: Option<u16>) -> bool {
    matches!(status, None | Some(408 | 429 | 500..=599))
}

/// For faults of storage that pass: the client should retry after `retry_after` seconds.
pub fn unavailable(retry_after: u32) -> Problem {
    Problem {
        retry_after: Some(retry_after),
        ..problem(503, "unavailable", "Service unavailable", format!("Please try again in {retry_after} seconds."))
    }
}

/// Reads a JSON body: unreadable JSON is a 400, JSON of the wrong shape a 422 naming the field.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            validation(vec![FieldError::new(path, "type", inner.to_string())])
        } else {
            malformed_json(format!("The body is not valid JSON: {inner}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NewTicket;

    #[test]
    fn syntax_errors_are_400_and_shape_errors_422() {
        assert_eq!(decode_json::<NewTicket>(b"{\"subject\":").unwrap_err().status, 400);
        assert_eq!(decode_json::<NewTicket>(b"not json").unwrap_err().status, 400);
        let p = decode_json::<NewTicket>(br#"{"subject": 5}"#).unwrap_err();
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].field, "subject");
        let p = decode_json::<NewTicket>(br#"{"context": {"page_url": []}}"#).unwrap_err();
        assert_eq!(p.errors[0].field, "context.page_url");
        let t: NewTicket = decode_json(br#"{"subject": "Hi"}"#).unwrap();
        assert_eq!(t.subject, "Hi");
    }

    #[test]
    fn only_transient_failures_are_retried() {
        for transient in [None, Some(408), Some(429), Some(500), Some(503), Some(599)] {
            assert!(is_transient(transient), "{transient:?}");
        }
        for fin in [Some(400), Some(401), Some(403), Some(404), Some(409), Some(413), Some(415), Some(422)] {
            assert!(!is_transient(fin), "{fin:?}");
        }
    }

    #[test]
    fn problems_serialize_per_rfc_9457() {
        let json = serde_json::to_value(not_found("No such site.")).unwrap();
        assert_eq!(json["type"], "/docs/problems#not-found");
        assert_eq!(json["status"], 404);
        assert!(json.get("errors").is_none());
    }
}
