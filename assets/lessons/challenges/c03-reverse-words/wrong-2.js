// WRONG: splits on single spaces, so extra spaces survive as empty words.
function reverseWords(text) {
  return text.split(" ").reverse().join(" ");
}
