//! Deployment: the project's git repository ([`git`]), the build
//! ([`build`]), one adapter per hosting platform behind one trait
//! ([`targets`]), and the service that runs a deployment end to end, records
//! it in SQLite and rolls back ([`Deployer`]).

pub mod api;
pub mod build;
mod deployer;
pub mod envfile;
pub mod git;
pub mod github;
pub mod log;
pub mod site;
pub mod targets;

#[cfg(feature = "test-server")]
pub mod test_server;

pub use deployer::*;
