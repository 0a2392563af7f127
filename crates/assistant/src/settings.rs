//! The assistant's settings (stored as one JSON setting) and what a message
//! costs by the price table.

use flashfusion_core::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::provider::{ProviderConfig, ProviderKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelPrice {
    pub model: String,
    /// US dollars per million prompt tokens.
    pub input_per_million: f64,
    /// US dollars per million completion tokens.
    pub output_per_million: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssistantSettings {
    pub provider: ProviderConfig,
    /// Tokens the prompt (instructions, files, history, question) may use.
    pub context_budget: u32,
    pub messages_per_minute: u32,
    pub messages_per_day: u32,
    pub prices: Vec<ModelPrice>,
}

impl Default for AssistantSettings {
    fn default() -> Self {
        Self {
            provider: ProviderConfig {
                kind: ProviderKind::OpenAi,
                base_url: "https://api.openai.com/v1".to_owned(),
                model: "gpt-4o-mini".to_owned(),
                max_output_tokens: 4096,
                timeout_seconds: 60,
            },
            context_budget: 16_000,
            messages_per_minute: 10,
            messages_per_day: 100,
            prices: default_prices(),
        }
    }
}

fn price(model: &str, input_per_million: f64, output_per_million: f64) -> ModelPrice {
    ModelPrice { model: model.to_owned(), input_per_million, output_per_million }
}

/// List prices (USD per million tokens) at the time of writing; editable.
fn default_prices() -> Vec<ModelPrice> {
    vec![
        price("gpt-4o-mini", 0.15, 0.60),
        price("gpt-4o", 2.50, 10.00),
        price("gpt-4.1", 2.00, 8.00),
        price("gpt-4.1-mini", 0.40, 1.60),
        price("claude-3-5-haiku-latest", 0.80, 4.00),
        price("claude-sonnet-4-0", 3.00, 15.00),
    ]
}

impl AssistantSettings {
    pub fn validate(&self) -> Result<()> {
        let base = self.provider.base_url.trim();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::new(Code::InvalidInput, format!("\"{base}\" is not an http:// or https:// base URL")));
        }
        if self.provider.model.trim().is_empty() {
            return Err(Error::new(Code::InvalidInput, "choose a model"));
        }
        if self.context_budget < 1_000 {
            return Err(Error::new(Code::InvalidInput, "the context budget must be at least 1,000 tokens"));
        }
        if self.messages_per_minute == 0 || self.messages_per_day == 0 {
            return Err(Error::new(Code::InvalidInput, "message limits must be at least 1"));
        }
        if self.provider.max_output_tokens == 0 || self.provider.timeout_seconds == 0 {
            return Err(Error::new(Code::InvalidInput, "the output-token limit and timeout must be at least 1"));
        }
        Ok(())
    }

    /// The cost of a message, `None` when the model has no price.
    pub fn cost_usd(&self, model: &str, prompt_tokens: u32, completion_tokens: u32) -> Option<f64> {
        let price = self.prices.iter().find(|price| price.model == model)?;
        Some(
            (f64::from(prompt_tokens) * price.input_per_million
                + f64::from(completion_tokens) * price.output_per_million)
                / 1_000_000.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_follows_the_price_table() {
        let settings = AssistantSettings::default();
        let cost = settings.cost_usd("gpt-4o-mini", 1_000_000, 500_000).unwrap();
        assert!((cost - 0.45).abs() < 1e-9, "{cost}");
        assert_eq!(settings.cost_usd("llama3", 10, 10), None);
    }

    #[test]
    fn unusable_settings_are_refused() {
        let mut settings = AssistantSettings::default();
        settings.provider.base_url = "ftp://x".into();
        assert_eq!(settings.validate().unwrap_err().code, Code::InvalidInput);
        let settings = AssistantSettings { context_budget: 10, ..AssistantSettings::default() };
        assert!(settings.validate().is_err());
        assert!(AssistantSettings::default().validate().is_ok());
    }
}
