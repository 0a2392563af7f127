//! The shared kernel of FlashFusion: the error type with a stable code the UI
//! matches on, where the app keeps its files, logging, and the syntax
//! highlighter, and the highlighted line diffs that the assistant's edit
//! previews and the collaboration history show.

pub mod diff;
mod error;
pub mod highlight;
pub mod logging;
pub mod markdown;
pub mod paths;
pub mod secret_files;
pub mod secrets;

pub use error::{Code, Error, Result, ResultExt};

mod ids;
pub use ids::{hex, now_millis, ProjectId};
