// Replaces each symbol, but does not collapse runs or trim the ends.
function slugify(title) {
  return title.trim().toLowerCase().replace(/[^a-z0-9]/g, "-");
}
