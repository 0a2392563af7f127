// WRONG: "|| fallback" also replaces valid falsy values such as 0, false and null.
function safeParse(text, fallback) {
  try {
    return JSON.parse(text) || fallback;
  } catch (e) {
    return fallback;
  }
}
