//! PLACEHOLDER while being written.
use super::TargetConfig;
use crate::api::Api;
use flashfusion_core::{Error, Result};
pub struct GithubPages;
impl GithubPages {
    pub fn new(_config: &TargetConfig, _api: Api) -> Result<std::sync::Arc<dyn super::Target>> {
        Err(Error::internal("not written yet"))
    }
}
