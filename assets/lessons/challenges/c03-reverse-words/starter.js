function reverseWords(text) {
  // TODO: reverse the order of the words
  return text;
}
