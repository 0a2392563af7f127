import type { Cached, Category, ProjectInfo } from "../bindings";

/** What the marketplace's parts share: the view they are in, the account, and the server's reachability. */
export interface MarketContext {
  /** The project open in the workbench (what Publish publishes); null over the welcome screen. */
  readonly project: ProjectInfo | null;
  /** The signed-in account's name, or null. */
  account(): string | null;
  /** Shows the sign-in dialog; true once signed in. */
  signIn(): Promise<boolean>;
  /** The answer's value; the offline banner and the online-only buttons follow whether it is the kept copy. */
  fromCache<T>(cached: Cached<T>): T;
  /** Marks a button that needs the server: disabled while the catalogue shown is the offline copy. */
  onlineOnly<B extends HTMLButtonElement>(button: B): B;
  /** Runs `action` with `button` disabled; afterwards it is enabled again unless it is online-only and the view is offline. */
  busy(button: HTMLButtonElement, action: () => Promise<void>): Promise<void>;
  /** The categories, loaded once (none when they cannot be). */
  categories(): Promise<Category[]>;
  /** A category's name by its slug (the slug until the categories have loaded). */
  categoryName(slug: string): string;
  openTemplate(templateId: number): void;
  /** A template became a project: closes the marketplace and opens the project. */
  openProject(project: ProjectInfo): void;
}
