//! Shared helpers of the API integration tests.
