function titleCase(text) {
  return text.split(" ").map(function (word) {
    if (word === "") return word; // double spaces produce empty "words"
    return word[0].toUpperCase() + word.slice(1).toLowerCase();
  }).join(" ");
}
