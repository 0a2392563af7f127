#![allow(clippy::unwrap_used)] // Test support: a failed setup step should fail the test loudly.

//! The relay against real clients on loopback: our Rust y-websocket client
//! (crates/collab) and raw WebSockets playing hostile clients.

mod support;

mod access;
mod convergence;
mod durability;
mod hostile;
mod interop;
mod sync;
