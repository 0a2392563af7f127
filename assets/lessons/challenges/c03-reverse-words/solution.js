function reverseWords(text) {
  return text.split(/\s+/).filter(function (w) { return w !== ""; }).reverse().join(" ");
}
