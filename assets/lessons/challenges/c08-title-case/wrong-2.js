// WRONG: avoids the crash by splitting on runs of spaces, which silently
// collapses double spaces into one.
function titleCase(text) {
  return text.split(/ +/).filter(function (w) { return w !== ""; }).map(function (word) {
    return word[0].toUpperCase() + word.slice(1).toLowerCase();
  }).join(" ");
}
