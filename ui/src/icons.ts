// Inline SVG icons drawn with currentColor so they follow the theme; no icon
// fonts or remote assets (the CSP only allows 'self').

const paths = {
  chevron: '<path d="M6 4l4 4-4 4"/>',
  file: '<path d="M4 1.5h5.5L12.5 4.5v10h-8.5z"/><path d="M9.5 1.5v3h3"/>',
  folder: '<path d="M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z"/>',
  folderOpen: '<path d="M1.5 13.5v-10h4.5l1.5 1.5h6v2"/><path d="M1.5 13.5l2-6h11l-2 6z"/>',
  newFile: '<path d="M4 1.5h5.5L12.5 4.5v3"/><path d="M9.5 1.5v3h3"/><path d="M4 1.5v13h4"/><path d="M12 10v5M9.5 12.5h5"/>',
  newFolder: '<path d="M1.5 13.5v-10h4.5l1.5 1.5h7v3"/><path d="M1.5 13.5h6.5"/><path d="M12 9.5v5M9.5 12h5"/>',
  close: '<path d="M4 4l8 8M12 4l-8 8"/>',
  sun: '<circle cx="8" cy="8" r="3"/><path d="M8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1"/>',
  moon: '<path d="M13.5 9.5A5.5 5.5 0 016.5 2.5a5.5 5.5 0 107 7z"/>',
  refresh: '<path d="M13 8a5 5 0 11-1.5-3.5"/><path d="M13 2v3h-3"/>',
  collapse: '<path d="M5 6l3-3 3 3M5 10l3 3 3-3"/>',
  project: '<path d="M2 3.5h12v9H2z"/><path d="M2 6h12"/>',
  bolt: '<path d="M9 1L3 9h4.5L7 15l6-8H8.5z"/>',
  chat: '<path d="M2.5 3h11v7.5h-6l-3 2.5v-2.5h-2z"/>',
  plus: '<path d="M8 3v10M3 8h10"/>',
  more: '<circle cx="3.5" cy="8" r="0.6"/><circle cx="8" cy="8" r="0.6"/><circle cx="12.5" cy="8" r="0.6"/>',
  deploy: '<path d="M4.5 12.5H4a3 3 0 01-.3-6 4.5 4.5 0 018.7-.4A3 3 0 0112 12.5h-.5"/><path d="M8 14V8.5M5.8 10.5L8 8.3l2.2 2.2"/>',
  market: '<path d="M2.5 5.5h11l-1 9h-9z"/><path d="M5.5 7.5V4a2.5 2.5 0 015 0v3.5"/>',
  share: '<circle cx="4" cy="8" r="1.8"/><circle cx="12" cy="3.8" r="1.8"/><circle cx="12" cy="12.2" r="1.8"/><path d="M5.6 7.1l4.8-2.4M5.6 8.9l4.8 2.4"/>',
  settings: '<path d="M2 4.5h2M7 4.5h7M2 11.5h7M12 11.5h2"/><circle cx="5.5" cy="4.5" r="1.5"/><circle cx="10.5" cy="11.5" r="1.5"/>',
} as const;

export type IconName = keyof typeof paths;

export function icon(name: IconName, className = "icon"): HTMLSpanElement {
  const span = document.createElement("span");
  span.className = className;
  span.setAttribute("aria-hidden", "true");
  span.innerHTML = `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round">${paths[name]}</svg>`;
  return span;
}
