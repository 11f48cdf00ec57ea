//! The REST client for `/api/v2/integration-configurations`: validate first, then send.
#![forbid(unsafe_code)]
