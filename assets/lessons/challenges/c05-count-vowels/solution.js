function countVowels(text) {
  let count = 0;
  for (const ch of text.toLowerCase()) {
    if ("aeiou".indexOf(ch) !== -1) count++;
  }
  return count;
}
