//! Collaboration building blocks shared by the app and the relay: the
//! y-websocket wire protocol ([`protocol`]) and a sync client that keeps a
//! yrs document in step with any y-websocket server ([`client`]).

pub mod client;
pub mod protocol;
