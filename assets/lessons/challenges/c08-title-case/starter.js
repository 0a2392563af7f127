function titleCase(text) {
  return text.split(" ").map(function (word) {
    return word[0].toUpperCase() + word.slice(1);
  }).join(" ");
}
