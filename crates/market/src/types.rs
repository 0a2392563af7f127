//! The marketplace's shapes, as the server sends them (docs/market-api.md)
//! and as the window receives them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatorRef {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub description: String,
    pub category: String,
    pub tags: Vec<String>,
    pub licence: String,
    #[ts(type = "number")]
    pub price_cents: i64,
    pub creator: CreatorRef,
    pub rating: Option<f64>,
    #[ts(type = "number")]
    pub rating_count: i64,
    #[ts(type = "number")]
    pub downloads: i64,
    pub featured: bool,
    pub status: String,
    pub latest_version: Option<String>,
    pub preview_url: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ManifestFile {
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    #[ts(type = "number")]
    pub id: i64,
    pub version: String,
    #[serde(default)]
    pub notes: String,
    pub bundle_hash: String,
    pub files: Vec<ManifestFile>,
    #[ts(type = "number")]
    pub file_count: i64,
    #[ts(type = "number")]
    pub total_bytes: i64,
    #[ts(type = "number")]
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    #[serde(flatten)]
    #[ts(flatten)]
    pub summary: TemplateSummary,
    #[serde(default)]
    pub readme: String,
    #[serde(default)]
    pub versions: Vec<Version>,
    #[serde(default)]
    pub purchased: bool,
    #[serde(default)]
    pub following: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FacetCount {
    pub value: String,
    #[ts(type = "number")]
    pub count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Facets {
    #[serde(default)]
    pub category: Vec<FacetCount>,
    #[serde(default)]
    pub price: Vec<FacetCount>,
    #[serde(default)]
    pub tags: Vec<FacetCount>,
    #[serde(default)]
    pub licence: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    pub items: Vec<TemplateSummary>,
    #[ts(type = "number")]
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    #[serde(default)]
    pub facets: Facets,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    pub category: Option<String>,
    /// `free` or `paid`.
    pub price: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub licence: Option<String>,
    /// relevance, downloads, rating or newest.
    pub sort: Option<String>,
    pub page: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Category {
    pub slug: String,
    pub name: String,
    #[ts(type = "number")]
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub template_id: i64,
    pub author: CreatorRef,
    pub stars: u8,
    pub body: String,
    #[ts(type = "number")]
    pub helpful: i64,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Creator {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub bio: String,
    #[serde(default)]
    pub avatar_url: String,
    #[ts(type = "number")]
    pub templates: i64,
    #[ts(type = "number")]
    pub downloads: i64,
    #[ts(type = "number")]
    pub followers: i64,
    #[serde(default)]
    pub following: bool,
}

/// What a creator fills in to publish (or update) a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateFields {
    pub title: String,
    pub description: String,
    pub category: String,
    pub tags: Vec<String>,
    pub licence: String,
    #[ts(type = "number")]
    pub price_cents: i64,
    pub readme: String,
}
