// WRONG: counts y as a vowel.
function countVowels(text) {
  let count = 0;
  for (const ch of text.toLowerCase()) {
    if ("aeiouy".indexOf(ch) !== -1) count++;
  }
  return count;
}
