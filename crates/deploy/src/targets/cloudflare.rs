//! Cloudflare Pages direct uploads, the way wrangler does them: every asset
//! is keyed by a hash of its contents, `check-missing` says which ones the
//! account lacks, only those are uploaded (in buckets, with a short-lived
//! upload token), and the deployment is a manifest of `"/path": hash`. Its
//! `latest_stage` is followed to `deploy`/`success` while the build log
//! streams. Rollback, env vars (on the project's deployment configs) and
//! custom domains use the account API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use flashfusion_core::{Code, Error, Result, ResultExt};
use reqwest::{Method, RequestBuilder};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    build_failed, path_segment, Deployed, DnsRecord, DomainStatus, EnvVar, Job, LogTail, Platform, Target, TargetConfig,
};
use crate::api::Api;
use crate::log::Stage;
use crate::site::{Site, SiteFile};

const LABEL: &str = "Cloudflare Pages";
/// Files Pages reads as configuration rather than serves: wrangler sends
/// them as parts of the deployment form, never as public assets.
const CONFIG_FILES: [&str; 4] = ["_headers", "_redirects", "_routes.json", "_worker.js"];
/// Wrangler's limits: the largest asset, and what one upload request holds.
const MAX_ASSET_BYTES: u64 = 25 * 1024 * 1024;
const BUCKET_BYTES: u64 = 40 * 1024 * 1024;
const BUCKET_FILES: usize = 2000;

pub struct CloudflarePages {
    api: Api,
    account: String,
    project: String,
}

/// Every Cloudflare answer: `{success, errors, messages, result}`.
#[derive(Deserialize)]
struct Envelope {
    success: bool,
    #[serde(default)]
    errors: Vec<Message>,
    #[serde(default)]
    result: Value,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    code: i64,
    message: String,
}

#[derive(Debug, Deserialize)]
struct Deployment {
    id: String,
    #[serde(default)]
    url: String,
    latest_stage: StageState,
}

#[derive(Debug, Deserialize)]
struct StageState {
    name: String,
    status: String,
}

impl Deployment {
    fn deployed(&self) -> Deployed {
        let url = (!self.url.is_empty()).then(|| self.url.clone());
        Deployed { platform_id: self.id.clone(), url, ..Deployed::default() }
    }
}

/// A site file served as an asset, with the hash Pages keys it by.
struct Asset<'a> {
    file: &'a SiteFile,
    hash: String,
}

/// One part of a `multipart/form-data` body.
struct Part<'a> {
    name: &'a str,
    file_name: Option<&'a str>,
    contents: Vec<u8>,
}

impl CloudflarePages {
    pub fn new(config: &TargetConfig, api: Api) -> Result<Self> {
        let account = path_segment(&config.account, Platform::CloudflarePages, "the account id")?.to_owned();
        let project = path_segment(&config.site, Platform::CloudflarePages, "a project name")?.to_owned();
        Ok(Self { api, account, project })
    }

    fn project_path(&self, rest: &str) -> String {
        format!("/accounts/{}/pages/projects/{}{rest}", self.account, self.project)
    }

    /// Sends and unwraps the envelope: a `success: false` is an error with
    /// Cloudflare's messages even when the status was fine.
    async fn call<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let envelope: Envelope = self.api.json(request).await?;
        if !envelope.success {
            let messages: Vec<String> =
                envelope.errors.iter().map(|error| format!("{} ({})", error.message, error.code)).collect();
            return Err(Error::new(Code::ProviderError, format!("{LABEL} failed: {}", messages.join("; "))));
        }
        T::deserialize(envelope.result).map_err(|error| {
            Error::new(Code::ProviderError, format!("{LABEL} answered with something unexpected: {error}"))
        })
    }

    async fn upload_token(&self) -> Result<String> {
        #[derive(Deserialize)]
        struct Token {
            jwt: String,
        }
        let request = self.api.request(Method::GET, &self.project_path("/upload-token"));
        Ok(self.call::<Token>(request).await?.jwt)
    }

    /// Calls an asset endpoint with the upload token instead of the API
    /// token. The upload token lasts minutes, so a refused one is replaced
    /// once, as wrangler does.
    async fn assets<T: DeserializeOwned>(&self, jwt: &mut String, endpoint: &str, body: &Value) -> Result<T> {
        let url = format!("{}/pages/assets/{endpoint}", self.api.base());
        let request = |jwt: &str| self.api.request_url(Method::POST, &url).bearer_auth(jwt).json(body);
        match self.call(request(jwt)).await {
            Err(error) if error.code == Code::AuthFailed => {
                *jwt = self.upload_token().await?;
                self.call(request(jwt)).await
            }
            result => result,
        }
    }

    /// Uploads the missing assets, base64-encoded, a bucket per request.
    async fn upload(&self, missing: &[&Asset<'_>], jwt: &mut String, job: &Job<'_>) -> Result<Deployed> {
        job.log.stage(Stage::Upload);
        let mut uploaded = Deployed::default();
        for bucket in buckets(missing) {
            let payload = bucket
                .iter()
                .map(|asset| {
                    let contents = job.site.read(asset.file)?;
                    Ok(json!({
                        "key": asset.hash,
                        "value": BASE64.encode(contents),
                        "metadata": { "contentType": content_type(&asset.file.path) },
                        "base64": true,
                    }))
                })
                .collect::<Result<Vec<_>>>()?;
            let _: IgnoredAny = self.assets(jwt, "upload", &Value::Array(payload)).await?;
            for asset in bucket {
                uploaded.count_upload(asset.file.size, missing.len(), job.log);
            }
        }
        Ok(uploaded)
    }

    /// Creates the deployment from the manifest, with the configuration
    /// files and the commit alongside.
    async fn create(
        &self,
        manifest: &BTreeMap<String, &str>,
        config: &[&SiteFile],
        job: &Job<'_>,
    ) -> Result<Deployment> {
        let manifest = serde_json::to_vec(manifest).map_err(|error| Error::internal(error.to_string()))?;
        let mut parts = vec![Part { name: "manifest", file_name: None, contents: manifest }];
        if let Some(commit) = &job.commit {
            parts.push(Part { name: "commit_hash", file_name: None, contents: commit.clone().into_bytes() });
        }
        for file in config {
            parts.push(Part { name: &file.path, file_name: Some(&file.path), contents: job.site.read(file)? });
        }
        let (content_type, body) = multipart(&parts);
        let request = self
            .api
            .request(Method::POST, &self.project_path("/deployments"))
            .header("content-type", content_type)
            .body(body);
        self.call(request).await
    }

    /// Polls the deployment until its last stage succeeds, streaming its log.
    async fn follow(&self, id: &str, job: &Job<'_>) -> Result<Deployment> {
        let last_state = std::sync::Mutex::new(String::new());
        let tail = LogTail::default();
        let path = self.project_path(&format!("/deployments/{id}"));
        self.api
            .poll("the deployment", || async {
                let deployment: Deployment = self.call(self.api.request(Method::GET, &path)).await?;
                let stage = &deployment.latest_stage;
                super::log_state_change(job.log, LABEL, &last_state, &format!("{} {}", stage.name, stage.status));
                let lines = self.build_log(&path).await?;
                tail.show(job.log, &lines);
                match (stage.name.as_str(), stage.status.as_str()) {
                    (_, "failure") => Err(build_failed(Platform::CloudflarePages, lines.last().map(String::as_str))),
                    (_, "canceled") => {
                        Err(build_failed(Platform::CloudflarePages, Some("the deployment was canceled")))
                    }
                    ("deploy", "success") => Ok(Some(deployment)),
                    _ => Ok(None),
                }
            })
            .await
    }

    /// The deployment's log so far; a failed deployment's last line says why.
    async fn build_log(&self, deployment_path: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Logs {
            #[serde(default)]
            data: Vec<Line>,
        }
        #[derive(Deserialize)]
        struct Line {
            line: String,
        }
        let request = self.api.request(Method::GET, &format!("{deployment_path}/history/logs"));
        let logs: Logs = self.call(request).await?;
        Ok(logs.data.into_iter().map(|line| line.line).collect())
    }
}

#[async_trait]
impl Target for CloudflarePages {
    fn platform(&self) -> Platform {
        Platform::CloudflarePages
    }

    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed> {
        let (config, files): (Vec<&SiteFile>, Vec<&SiteFile>) =
            job.site.files.iter().partition(|file| CONFIG_FILES.contains(&file.path.as_str()));
        if let Some(file) = files.iter().find(|file| file.size > MAX_ASSET_BYTES) {
            return Err(Error::new(
                Code::TooLarge,
                format!("{LABEL} takes files up to 25 MiB; {} is {} MiB.", file.path, file.size / (1024 * 1024)),
            ));
        }
        let hashes = hash_assets(job.site, &files).await?;
        let assets: Vec<Asset> = files.into_iter().zip(hashes).map(|(file, hash)| Asset { file, hash }).collect();
        // Identical files (same contents and extension) are one asset.
        let unique: BTreeMap<&str, &Asset> = assets.iter().map(|asset| (asset.hash.as_str(), asset)).collect();
        let all: Vec<&str> = unique.keys().copied().collect();

        let mut jwt = self.upload_token().await?;
        let missing: Vec<String> = self.assets(&mut jwt, "check-missing", &json!({ "hashes": all })).await?;
        let missing: Vec<&Asset> = missing.iter().filter_map(|hash| unique.get(hash.as_str()).copied()).collect();
        job.log.line(format!("{LABEL}: {} of {} files to upload", missing.len(), all.len()));
        let uploaded = self.upload(&missing, &mut jwt, job).await?;
        let _: IgnoredAny = self.assets(&mut jwt, "upsert-hashes", &json!({ "hashes": all })).await?;

        let manifest = assets.iter().map(|asset| (format!("/{}", asset.file.path), asset.hash.as_str())).collect();
        let deployment = self.create(&manifest, &config, job).await?;
        job.log.line(format!("{LABEL} deployment {}", deployment.id));
        job.log.stage(Stage::Deploy);
        let live = self.follow(&deployment.id, job).await?;
        Ok(Deployed {
            uploaded_files: uploaded.uploaded_files,
            uploaded_bytes: uploaded.uploaded_bytes,
            ..live.deployed()
        })
    }

    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed> {
        let path = self.project_path(&format!("/deployments/{platform_id}/rollback"));
        // The switch is immediate: the answer is the deployment, live again.
        let deployment: Deployment = self.call(self.api.request(Method::POST, &path)).await?;
        job.log.line(format!("{LABEL}: production serves deployment {} again", deployment.id));
        Ok(deployment.deployed())
    }

    /// Sets the variables for production and preview deployments alike, as
    /// the other platforms' adapters do for all their environments.
    async fn set_env(&self, vars: &[EnvVar]) -> Result<()> {
        let env_vars: serde_json::Map<String, Value> = vars
            .iter()
            .map(|var| {
                let kind = if var.secret { "secret_text" } else { "plain_text" };
                (var.name.clone(), json!({ "type": kind, "value": var.value }))
            })
            .collect();
        let body = json!({ "deployment_configs": {
            "production": { "env_vars": env_vars },
            "preview": { "env_vars": env_vars },
        }});
        let _: IgnoredAny = self.call(self.api.request(Method::PATCH, &self.project_path("")).json(&body)).await?;
        Ok(())
    }

    async fn add_domain(&self, domain: &str) -> Result<DomainStatus> {
        #[derive(Deserialize)]
        struct Project {
            subdomain: String,
        }
        #[derive(Deserialize)]
        struct Domain {
            name: String,
            status: String,
            #[serde(default)]
            validation_data: Option<Validation>,
        }
        #[derive(Deserialize)]
        struct Validation {
            #[serde(default)]
            method: String,
            #[serde(default)]
            txt_name: Option<String>,
            #[serde(default)]
            txt_value: Option<String>,
        }
        let request =
            self.api.request(Method::POST, &self.project_path("/domains")).json(&json!({ "name": domain.trim() }));
        let added: Domain = self.call(request).await?;
        let project: Project = self.call(self.api.request(Method::GET, &self.project_path(""))).await?;
        let mut records = vec![DnsRecord { kind: "CNAME".into(), name: added.name.clone(), value: project.subdomain }];
        if let Some(Validation { method, txt_name: Some(name), txt_value: Some(value) }) = added.validation_data {
            if method == "txt" {
                records.push(DnsRecord { kind: "TXT".into(), name, value });
            }
        }
        Ok(DomainStatus { domain: added.name, records, verified: added.status == "active" })
    }
}

/// Wrangler's asset hash: BLAKE3 over the base64 of the contents followed
/// by the extension (without its dot), cut to 32 hex digits. Matching it
/// lets uploads be shared with deployments made by wrangler.
fn asset_hash(path: &str, contents: &[u8]) -> String {
    let extension = Path::new(path).extension().map(|extension| extension.to_string_lossy()).unwrap_or_default();
    let mut hasher = blake3::Hasher::new();
    hasher.update(BASE64.encode(contents).as_bytes());
    hasher.update(extension.as_bytes());
    hasher.finalize().to_hex()[..32].to_owned()
}

/// Hashes the assets on a blocking thread: it reads every file.
async fn hash_assets(site: &Site, files: &[&SiteFile]) -> Result<Vec<String>> {
    let root = site.root.clone();
    let paths: Vec<String> = files.iter().map(|file| file.path.clone()).collect();
    tokio::task::spawn_blocking(move || {
        paths
            .iter()
            .map(|path| {
                let full: PathBuf = root.join(path);
                let contents = std::fs::read(&full).context_path("read", &full)?;
                Ok(asset_hash(path, &contents))
            })
            .collect()
    })
    .await
    .map_err(|_| Error::internal("hashing the site failed"))?
}

/// Groups assets into upload requests within wrangler's limits.
fn buckets<'a, 'b>(assets: &[&'a Asset<'b>]) -> Vec<Vec<&'a Asset<'b>>> {
    let mut buckets: Vec<(Vec<&Asset>, u64)> = Vec::new();
    for &asset in assets {
        let size = asset.file.size;
        match buckets.last_mut() {
            Some((bucket, bytes)) if bucket.len() < BUCKET_FILES && *bytes + size <= BUCKET_BYTES => {
                bucket.push(asset);
                *bytes += size;
            }
            _ => buckets.push((vec![asset], size)),
        }
    }
    buckets.into_iter().map(|(bucket, _)| bucket).collect()
}

/// What Pages serves the asset as, guessed from its name as wrangler does.
fn content_type(path: &str) -> String {
    mime_guess::from_path(path).first_or_octet_stream().essence_str().to_owned()
}

/// A `multipart/form-data` body built in memory, so the request can be
/// retried like any other (reqwest's forms are streams). The boundary is a
/// hash of the parts, so it does not occur in them.
fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(&part.contents);
    }
    let boundary = format!("flashfusion-{}", &hasher.finalize().to_hex()[..32]);
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", part.name).as_bytes(),
        );
        if let Some(file_name) = part.file_name {
            body.extend_from_slice(
                format!("; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream").as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(&part.contents);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hashes_like_wrangler() {
        // BLAKE3's published digests of "" and "abc": an empty file without
        // an extension, and an empty `.abc` file.
        assert_eq!(asset_hash("empty", b""), "af1349b9f5f9a1a6a0404dea36dcc949");
        assert_eq!(asset_hash("dir/x.abc", b""), "6437b3ac38465133ffb63b75273a8db5");
        assert_ne!(asset_hash("a.html", b"same"), asset_hash("a.css", b"same"), "the extension counts");
        assert_eq!(asset_hash("a/b.css", b"same"), asset_hash("c.css", b"same"), "the path does not");
    }

    #[test]
    fn buckets_stay_within_the_limits() {
        let big = SiteFile { path: "big.bin".into(), size: 30 * 1024 * 1024, sha1: String::new() };
        let small = SiteFile { path: "a.txt".into(), size: 1, sha1: String::new() };
        let assets: Vec<Asset> = [&big, &big]
            .into_iter()
            .chain(std::iter::repeat_n(&small, BUCKET_FILES + 1))
            .map(|file| Asset { file, hash: String::new() })
            .collect();
        let refs: Vec<&Asset> = assets.iter().collect();
        let sizes: Vec<usize> = buckets(&refs).iter().map(Vec::len).collect();
        assert_eq!(sizes, [1, BUCKET_FILES, 2]);
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html");
        assert_eq!(content_type("assets/app.js"), "text/javascript");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
