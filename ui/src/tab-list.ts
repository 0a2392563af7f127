import { remapPath, isSameOrInside } from "./paths";

/** Order and focus of the open tabs; what a tab holds is up to the caller. */
export class TabList<T extends { path: string }> {
  private tabs: T[] = [];
  private activeIndex = -1;
  /** The same tabs, the most recently active first. */
  private recent: T[] = [];

  get all(): readonly T[] {
    return this.tabs;
  }

  get active(): T | undefined {
    return this.tabs[this.activeIndex];
  }

  /** The tabs, the most recently active first (the active one leads). */
  get recentlyUsed(): readonly T[] {
    return this.recent;
  }

  find(path: string): T | undefined {
    return this.tabs.find((tab) => tab.path === path);
  }

  /** Adds a tab right after the active one (as editors do) and makes it active. */
  add(tab: T): void {
    const index = this.activeIndex < 0 ? this.tabs.length : this.activeIndex + 1;
    this.tabs.splice(index, 0, tab);
    this.activeIndex = index;
    this.markUsed(tab);
  }

  activate(path: string): T | undefined {
    const index = this.tabs.findIndex((tab) => tab.path === path);
    if (index >= 0) {
      this.activeIndex = index;
      this.markUsed(this.tabs[index]!);
    }
    return this.tabs[index];
  }

  /** Removes a tab; when it was active, its right neighbour (else left) becomes active. */
  remove(path: string): void {
    const index = this.tabs.findIndex((tab) => tab.path === path);
    if (index < 0) return;
    const [removed] = this.tabs.splice(index, 1);
    this.recent = this.recent.filter((tab) => tab !== removed);
    if (this.tabs.length === 0) this.activeIndex = -1;
    else if (index < this.activeIndex || this.activeIndex >= this.tabs.length) this.activeIndex--;
    if (this.active) this.markUsed(this.active);
  }

  /** The tab `step` places away from the active one, wrapping around (for Ctrl+Tab). */
  neighbour(step: number): T | undefined {
    if (this.tabs.length === 0) return undefined;
    const count = this.tabs.length;
    return this.tabs[(((this.activeIndex + step) % count) + count) % count];
  }

  /** Follows a rename or move of a file or folder; returns the tabs that moved. */
  renamePath(from: string, to: string): T[] {
    const moved: T[] = [];
    for (const tab of this.tabs) {
      const path = remapPath(tab.path, from, to);
      if (path !== null) {
        tab.path = path;
        moved.push(tab);
      }
    }
    return moved;
  }

  /** Tabs for the file or anything inside the folder at `path`. */
  under(path: string): T[] {
    return this.tabs.filter((tab) => isSameOrInside(tab.path, path));
  }

  private markUsed(tab: T): void {
    this.recent = [tab, ...this.recent.filter((known) => known !== tab)];
  }
}
