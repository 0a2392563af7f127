//! The template marketplace (`/api/market`, see docs/market-api.md):
//! - [`catalog`]: templates, versions, categories, creators, follows, moderation;
//! - [`bundle`]: hostile-until-proven-otherwise bundle checks and the blob store;
//! - [`search`]: full-text search (FTS5) with facets, sorting and pages;
//! - [`reviews`]: star ratings with text and helpful votes;
//! - [`payments`]: paid templates through Stripe Connect and its webhook.

pub mod bundle;
pub mod catalog;
pub mod payments;
pub mod reviews;
pub mod search;
pub mod stripe;
pub mod webhook;

use std::sync::Arc;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<Arc<AppState>> {
    Router::new().merge(catalog::routes()).merge(search::routes()).merge(reviews::routes()).merge(payments::routes())
}
