//! Which files hold secrets, wherever files leave the machine.

use std::path::Path;

/// True for files that may hold credentials (keys, certificates, `.env*`,
/// token files): never sent to a model, never published in a template.
pub fn is_secret(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let in_secret_folder = lower.split('/').any(|part| matches!(part, ".ssh" | ".aws" | ".gnupg" | ".docker"));
    let secret_extension = Path::new(name).extension().and_then(|ext| ext.to_str()).is_some_and(|ext| {
        matches!(
            ext,
            "pem"
                | "key"
                | "p12"
                | "pfx"
                | "crt"
                | "cer"
                | "der"
                | "jks"
                | "keystore"
                | "kdbx"
                | "gpg"
                | "asc"
                | "ovpn"
        )
    });
    in_secret_folder
        || secret_extension
        || name.starts_with(".env")
        || name.starts_with("id_rsa")
        || name.starts_with("id_dsa")
        || name.starts_with("id_ecdsa")
        || name.starts_with("id_ed25519")
        || name.starts_with("secrets.")
        || name.starts_with("credentials")
        || matches!(name, ".npmrc" | ".pypirc" | ".netrc" | ".git-credentials" | "service-account.json")
}
