// Creating the project's repository on GitHub: the names GitHub accepts,
// kept free of the DOM so they can be tested.

/** GitHub's limit on a repository name's length. */
export const REPO_NAME_MAX = 100;

const REPO_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * The repository name a project folder suggests: lower case, accents
 * dropped, each run of other characters one "-", none at either end.
 * Empty when nothing usable is left.
 */
export function repoNameFromFolder(folder: string): string {
  const slug = folder
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, REPO_NAME_MAX)
    .replace(/-+$/, "");
  return slug === "." || slug === ".." ? "" : slug;
}

/** Why GitHub would refuse the repository name (trimmed), or null. */
export function repoNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return "Enter a name for the repository.";
  if (!REPO_NAME.test(trimmed)) return "A repository name can only hold letters, digits, “.”, “-” and “_”.";
  if (trimmed.length > REPO_NAME_MAX) return `A repository name has at most ${REPO_NAME_MAX} characters.`;
  if (trimmed === "." || trimmed === "..") return `“${trimmed}” cannot be a repository name.`;
  return null;
}
