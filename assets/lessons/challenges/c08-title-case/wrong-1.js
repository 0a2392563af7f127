// WRONG: lower-cases the rest, but still crashes on empty words, because
// word[0] is undefined when word is "".
function titleCase(text) {
  return text.split(" ").map(function (word) {
    return word[0].toUpperCase() + word.slice(1).toLowerCase();
  }).join(" ");
}
