//! Collaboration: the y-websocket wire protocol ([`protocol`]) and a sync
//! client ([`client`]) shared with the relay; the shared project's document
//! ([`files`], [`comments`], [`presence`]); and the app's side of a session
//! ([`session`], kept on disk by [`update_log`] and [`mirror`], run by
//! [`service`] against the relay's REST API in [`rest`]).

pub mod args;
pub mod client;
pub mod comments;
pub mod export;
pub mod files;
pub mod history;
pub mod invite;
pub mod mirror;
pub mod presence;
pub mod project_files;
pub mod protocol;
pub mod rest;
pub mod service;
pub mod session;
pub mod update_log;
