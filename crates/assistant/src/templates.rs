//! Prompt templates: the built-in ones (assets/prompts/templates.json) and
//! the user's own, kept in the settings table.

use flashfusion_core::{Code, Error, Result};
use flashfusion_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const BUILT_IN: &str = include_str!("../../../assets/prompts/templates.json");
const USER_TEMPLATES_KEY: &str = "assistant.templates";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PromptTemplate {
    pub id: String,
    pub title: String,
    pub prompt: String,
    #[serde(default)]
    pub built_in: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct TemplateIdArgs {
    pub id: String,
}

fn built_in() -> Vec<PromptTemplate> {
    match serde_json::from_str::<Vec<PromptTemplate>>(BUILT_IN) {
        Ok(templates) => templates.into_iter().map(|template| PromptTemplate { built_in: true, ..template }).collect(),
        Err(error) => {
            tracing::error!(%error, "the built-in prompt templates do not parse");
            Vec::new()
        }
    }
}

fn user_templates(store: &Store) -> Result<Vec<PromptTemplate>> {
    Ok(store.setting(USER_TEMPLATES_KEY)?.unwrap_or_default())
}

pub fn list(store: &Store) -> Result<Vec<PromptTemplate>> {
    let mut templates = built_in();
    templates.extend(user_templates(store)?);
    Ok(templates)
}

/// Adds or replaces one of the user's templates (matched by id).
pub fn save(store: &Store, template: PromptTemplate) -> Result<Vec<PromptTemplate>> {
    if template.title.trim().is_empty() || template.prompt.trim().is_empty() {
        return Err(Error::new(Code::InvalidInput, "a template needs a title and a prompt"));
    }
    if built_in().iter().any(|known| known.id == template.id) {
        return Err(Error::new(Code::InvalidInput, "built-in templates cannot be changed; save a copy instead"));
    }
    let mut templates = user_templates(store)?;
    let template = PromptTemplate { built_in: false, ..template };
    match templates.iter_mut().find(|known| known.id == template.id) {
        Some(known) => *known = template,
        None => templates.push(template),
    }
    store.set_setting(USER_TEMPLATES_KEY, &templates)?;
    list(store)
}

pub fn delete(store: &Store, id: &str) -> Result<Vec<PromptTemplate>> {
    let mut templates = user_templates(store)?;
    templates.retain(|template| template.id != id);
    store.set_setting(USER_TEMPLATES_KEY, &templates)?;
    list(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_parse_and_user_templates_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let titles: Vec<String> = list(&store).unwrap().into_iter().map(|template| template.title).collect();
        for expected in [
            "Explain this code",
            "Find bugs and suggest fixes",
            "Add error handling",
            "Optimise",
            "Add comments",
            "Convert to TypeScript",
        ] {
            assert!(titles.iter().any(|title| title == expected), "{expected} missing from {titles:?}");
        }
        let mine = PromptTemplate { id: "mine".into(), title: "Mine".into(), prompt: "Do it".into(), built_in: true };
        let templates = save(&store, mine).unwrap();
        let saved = templates.iter().find(|template| template.id == "mine").unwrap();
        assert!(!saved.built_in);
        let explain = PromptTemplate { id: "explain".into(), title: "x".into(), prompt: "y".into(), built_in: false };
        assert!(save(&store, explain).is_err());
        assert!(!delete(&store, "mine").unwrap().iter().any(|template| template.id == "mine"));
    }
}
