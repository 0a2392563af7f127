// WRONG: reverses the characters, not the words.
function reverseWords(text) {
  return text.trim().split("").reverse().join("");
}
