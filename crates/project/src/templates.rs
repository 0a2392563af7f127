//! Starter templates, embedded in the binary from `assets/templates/` so a
//! new project works offline and from any install location. Each template
//! folder has a `template.json` (name, description, language); the string
//! `{{project_name}}` in any file becomes the new project's slug.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use flashfusion_core::{Code, Error, Result, ResultExt};
use include_dir::{include_dir, Dir, DirEntry};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/templates");

const MANIFEST: &str = "template.json";
const NAME_PLACEHOLDER: &str = "{{project_name}}";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TemplateInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    pub language: String,
}

#[derive(Deserialize)]
struct Manifest {
    name: String,
    description: String,
    language: String,
}

/// Every bundled template, sorted by name. A template whose manifest does not
/// parse is a build defect: it is logged and left out rather than crashing.
pub fn list() -> Vec<TemplateInfo> {
    let mut templates: Vec<_> = TEMPLATES
        .dirs()
        .filter_map(|dir| match manifest(dir) {
            Ok(info) => Some(info),
            Err(error) => {
                tracing::error!(template = %dir.path().display(), %error, "bad template manifest");
                None
            }
        })
        .collect();
    templates.sort_by(|a, b| a.name.cmp(&b.name));
    templates
}

fn manifest(dir: &Dir<'_>) -> Result<TemplateInfo> {
    let id = dir.path().to_string_lossy().into_owned();
    let file = dir
        .get_file(dir.path().join(MANIFEST))
        .ok_or_else(|| Error::internal(format!("template {id} has no {MANIFEST}")))?;
    let manifest: Manifest = serde_json::from_slice(file.contents())
        .map_err(|error| Error::internal(format!("template {id}: {MANIFEST}: {error}")))?;
    Ok(TemplateInfo { id, name: manifest.name, description: manifest.description, language: manifest.language })
}

/// A name fit for package manifests: lowercase ASCII letters, digits, hyphens.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for character in name.trim().chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "project".to_owned()
    } else {
        slug
    }
}

/// Writes template `id` into `target`, which must not exist. The files land
/// in a staging folder beside it first, so a failure never leaves a
/// half-made project behind.
pub fn instantiate(id: &str, project_name: &str, target: &Path) -> Result<()> {
    let template = TEMPLATES
        .get_dir(id)
        .filter(|dir| dir.path() == Path::new(id))
        .ok_or_else(|| Error::new(Code::NotFound, format!("no starter template named {id:?}")))?;
    if target.symlink_metadata().is_ok() {
        return Err(Error::new(Code::AlreadyExists, format!("{} already exists", target.display())));
    }
    let parent = target
        .parent()
        .ok_or_else(|| Error::new(Code::InvalidInput, format!("{} has no parent folder", target.display())))?;
    std::fs::create_dir_all(parent).context_path("create the folder", parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".flashfusion-new-")
        .tempdir_in(parent)
        .context_path("create a folder in", parent)?;
    copy_dir(template, Path::new(id), staging.path(), &slug(project_name))?;
    // The staging folder is private (0700); the project should not be.
    std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
        .context_path("set permissions of", staging.path())?;
    let staged = staging.keep();
    std::fs::rename(&staged, target).context_path("create", target).inspect_err(|_| {
        if let Err(error) = std::fs::remove_dir_all(&staged) {
            tracing::warn!(path = %staged.display(), %error, "could not remove a staging folder");
        }
    })
}

fn copy_dir(dir: &Dir<'_>, template_root: &Path, destination: &Path, slug: &str) -> Result<()> {
    for entry in dir.entries() {
        let relative = entry.path().strip_prefix(template_root).map_err(|error| Error::internal(error.to_string()))?;
        let target = destination.join(relative);
        match entry {
            DirEntry::Dir(child) => {
                std::fs::create_dir_all(&target).context_path("create the folder", &target)?;
                copy_dir(child, template_root, destination, slug)?;
            }
            DirEntry::File(_) if relative == Path::new(MANIFEST) => {}
            DirEntry::File(file) => {
                let contents = match std::str::from_utf8(file.contents()) {
                    Ok(text) => text.replace(NAME_PLACEHOLDER, slug).into_bytes(),
                    Err(_) => file.contents().to_vec(),
                };
                std::fs::write(&target, contents).context_path("write", &target)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_starters_are_bundled_with_manifests() {
        let ids: Vec<_> = list().into_iter().map(|t| t.id).collect();
        for id in ["static-site", "react-vite", "node-express-api", "python-fastapi", "rust-cli"] {
            assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
        }
    }

    #[test]
    fn slugs_are_package_safe() {
        assert_eq!(slug("  My Great App! "), "my-great-app");
        assert_eq!(slug("Ünïcode only"), "n-code-only");
        assert_eq!(slug("???"), "project");
    }

    #[test]
    fn instantiating_substitutes_the_name_and_drops_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("Word Counter");
        instantiate("rust-cli", "Word Counter", &target).unwrap();
        let cargo_toml = std::fs::read_to_string(target.join("Cargo.toml")).unwrap();
        assert!(cargo_toml.contains("name = \"word-counter\""), "{cargo_toml}");
        assert!(!target.join(MANIFEST).exists());
        assert!(target.join("src/main.rs").is_file());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["Word Counter"]);
    }

    #[test]
    fn unknown_templates_and_existing_targets_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(instantiate("nope", "x", &dir.path().join("x")).unwrap_err().code, Code::NotFound);
        assert_eq!(instantiate("../templates", "x", &dir.path().join("y")).unwrap_err().code, Code::NotFound);
        std::fs::create_dir(dir.path().join("taken")).unwrap();
        assert_eq!(instantiate("static-site", "x", &dir.path().join("taken")).unwrap_err().code, Code::AlreadyExists);
    }
}
