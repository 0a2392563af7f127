// Lowercase, turn every run of characters that are not a-z or 0-9 into one
// dash, then drop dashes at either end.
function slugify(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
