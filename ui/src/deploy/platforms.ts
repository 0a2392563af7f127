import type { Platform, TargetConfig, TargetView } from "../bindings";

// What each hosting platform asks for in the target form, mirroring the Rust
// adapters (crates/deploy/src/targets); kept free of the DOM so it can be tested.

export interface FieldText {
  label: string;
  placeholder: string;
  hint: string;
}

export interface OptionalField extends FieldText {
  required: boolean;
}

export interface PlatformInfo {
  platform: Platform;
  label: string;
  /** `TargetConfig.site`: always asked for. */
  site: FieldText;
  /** `TargetConfig.account`, for the platforms that use it. */
  account: OptionalField | null;
  /** `TargetConfig.branch`; its placeholder is the branch used when left empty. */
  branch: FieldText | null;
  token: OptionalField;
  /** Shown as the API base URL's placeholder. */
  defaultApi: string;
  envVars: boolean;
  domains: boolean;
}

const KEYRING = "Kept in the system keyring and shared by every target on this platform.";

/** In the order the platform select lists them (the Rust `Platform::ALL` order). */
export const PLATFORMS: readonly PlatformInfo[] = [
  {
    platform: "git_remote",
    label: "Git remote",
    site: { label: "Remote URL", placeholder: "https://github.com/you/site.git", hint: "Each deploy pushes the project's commit there." },
    account: null,
    branch: { label: "Branch", placeholder: "main", hint: "The branch to push to; main when empty." },
    token: { label: "Access token (optional)", placeholder: "", hint: `For HTTPS remotes that need one; SSH remotes use your ssh-agent. ${KEYRING}`, required: false },
    defaultApi: "",
    envVars: false,
    domains: false,
  },
  {
    platform: "github_pages",
    label: "GitHub Pages",
    site: { label: "Repository (owner/repo)", placeholder: "owner/repo", hint: "The built site is pushed to a branch of this repository." },
    account: null,
    branch: { label: "Branch", placeholder: "gh-pages", hint: "The branch Pages publishes; gh-pages when empty." },
    token: { label: "GitHub token", placeholder: "", hint: `Needs the Contents and Pages permissions on the repository. ${KEYRING}`, required: true },
    defaultApi: "https://api.github.com",
    envVars: false,
    domains: true,
  },
  {
    platform: "netlify",
    label: "Netlify",
    site: { label: "Site ID", placeholder: "3f1c2b7e-…", hint: "Site configuration → Site details → Site ID." },
    account: { label: "Account slug", placeholder: "my-team", hint: "Only needed for environment variables.", required: false },
    branch: null,
    token: { label: "Personal access token", placeholder: "", hint: `User settings → Applications. ${KEYRING}`, required: true },
    defaultApi: "https://api.netlify.com/api/v1",
    envVars: true,
    domains: true,
  },
  {
    platform: "vercel",
    label: "Vercel",
    site: { label: "Project name", placeholder: "my-site", hint: "The Vercel project to deploy to." },
    account: { label: "Team ID (optional)", placeholder: "team_…", hint: "Only for a project that belongs to a team.", required: false },
    branch: null,
    token: { label: "Access token", placeholder: "", hint: `Account settings → Tokens. ${KEYRING}`, required: true },
    defaultApi: "https://api.vercel.com",
    envVars: true,
    domains: true,
  },
  {
    platform: "cloudflare_pages",
    label: "Cloudflare Pages",
    site: { label: "Project name", placeholder: "my-site", hint: "The Pages project to deploy to." },
    account: { label: "Account ID", placeholder: "0123456789abcdef…", hint: "Shown on the account's overview page.", required: true },
    branch: null,
    token: { label: "API token", placeholder: "", hint: `Needs the Cloudflare Pages: Edit permission. ${KEYRING}`, required: true },
    defaultApi: "https://api.cloudflare.com/client/v4",
    envVars: true,
    domains: true,
  },
  {
    platform: "render",
    label: "Render",
    site: { label: "Service ID", placeholder: "srv-…", hint: "Render builds the commit from the service's connected repository." },
    account: null,
    branch: null,
    token: { label: "API key", placeholder: "", hint: `Account settings → API keys. ${KEYRING}`, required: true },
    defaultApi: "https://api.render.com/v1",
    envVars: true,
    domains: true,
  },
  {
    platform: "railway",
    label: "Railway",
    site: { label: "Service ID", placeholder: "a1b2c3d4-…", hint: "Railway builds the commit from the service's connected repository." },
    account: { label: "Environment ID", placeholder: "e5f6a7b8-…", hint: "The environment to deploy in (e.g. production).", required: true },
    branch: null,
    token: { label: "API token", placeholder: "", hint: `Account settings → Tokens. ${KEYRING}`, required: true },
    defaultApi: "https://backboard.railway.com/graphql/v2",
    envVars: true,
    domains: true,
  },
];

export function platformInfo(platform: Platform): PlatformInfo {
  const info = PLATFORMS.find((candidate) => candidate.platform === platform);
  if (!info) throw new Error(`Unknown platform ${platform}`);
  return info;
}

export function emptyConfig(platform: Platform): TargetConfig {
  return { platform, site: "", account: "", branch: "", apiBase: "" };
}

/** Trimmed, without values for fields the platform does not have (left over from switching platforms). */
export function normalizeConfig(config: TargetConfig): TargetConfig {
  const info = platformInfo(config.platform);
  return {
    platform: config.platform,
    site: config.site.trim(),
    account: info.account ? config.account.trim() : "",
    branch: info.branch ? config.branch.trim() : "",
    apiBase: config.apiBase.trim(),
  };
}

/** Why the target cannot be saved as it is, or null. */
export function configProblem(config: TargetConfig): string | null {
  const info = platformInfo(config.platform);
  if (config.site.trim() === "") return `Enter the ${info.site.label.replace(/ \(.*\)$/, "")}.`;
  if (info.account?.required && config.account.trim() === "") return `Enter the ${info.account.label}.`;
  return apiBaseProblem(config.apiBase);
}

/** Why an API base URL (empty: the platform's own) is unusable, or null. */
export function apiBaseProblem(apiBase: string): string | null {
  const trimmed = apiBase.trim();
  if (trimmed !== "" && !/^https?:\/\/\S+$/.test(trimmed)) return "The API base URL must start with http:// or https://.";
  return null;
}

export interface Connection {
  text: string;
  connected: boolean;
}

/** Whether the target can deploy as far as its token goes. */
export function connection(target: TargetView): Connection {
  if (target.hasToken) return { text: "Connected", connected: true };
  if (!platformInfo(target.config.platform).token.required) return { text: "No token (uses your git credentials)", connected: true };
  return { text: "Not connected: add a token", connected: false };
}

/** How a target is named in the panel: its platform, and its site when there is one. */
export function targetName(target: TargetView): string {
  return target.config.site ? `${target.label} · ${target.config.site}` : target.label;
}
