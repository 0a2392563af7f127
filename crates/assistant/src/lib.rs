//! The AI code assistant: providers streaming answers over SSE, the context
//! builder under a token budget, SEARCH/REPLACE edits shown as diffs, and
//! conversations kept in the local database.

pub mod chat;
pub mod context;
/// Line diffs live in the core crate: collaboration history shows them too.
pub use flashfusion_core::diff;
pub mod edits;
mod imports;
pub mod proposals;
pub mod provider;
pub mod settings;
pub mod sse;
pub mod templates;
#[cfg(feature = "test-server")]
pub mod test_server;

pub use chat::{Assistant, AssistantStatus, ChatEvent, SendArgs};
