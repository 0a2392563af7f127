//! Projects on disk. Every path the UI sends is confined to the project root
//! ([`confine`]); the tree honours `.gitignore`; saves are atomic; a watcher
//! reports changes made by other programs. [`Workbench`] is the API the
//! desktop shell's commands call, one method per command.

pub mod confine;
pub mod files;
pub mod templates;
pub mod tree;
pub mod watch;
mod workbench;

pub use workbench::*;
