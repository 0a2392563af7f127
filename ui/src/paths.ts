// Project paths are relative to the project root and '/'-separated, with ""
// standing for the root itself (the shape of TreeEntry.path).

export function joinPath(directory: string, name: string): string {
  return directory === "" ? name : `${directory}/${name}`;
}

export function parentPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function isSameOrInside(path: string, ancestor: string): boolean {
  if (ancestor === "") return true;
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/** Where `path` ends up when `from` is renamed to `to`, or null when the rename does not affect it. */
export function remapPath(path: string, from: string, to: string): string | null {
  if (!isSameOrInside(path, from)) return null;
  return to + path.slice(from.length);
}

/**
 * Resolves what a person typed (a name, "sub/dir/name", "../name", or "/from/root")
 * against a project directory. Returns null when nothing usable was typed or the
 * result would leave the project.
 */
export function resolveUserPath(directory: string, typed: string): string | null {
  const trimmed = typed.trim().replace(/\\/g, "/");
  if (trimmed === "") return null;
  const segments = trimmed.startsWith("/") ? [] : directory.split("/").filter((segment) => segment !== "");
  for (const segment of trimmed.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (segments.length === 0) return null;
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return segments.length === 0 ? null : segments.join("/");
}

/** What a form creating a project says it will create: "Creates /home/me/projects/app", or "" until both are given. */
export function destinationHint(parentDir: string, name: string): string {
  const parent = parentDir.trim().replace(/[\\/]+$/, "");
  const folder = name.trim();
  return folder && parent ? `Creates ${parent}/${folder}` : "";
}
