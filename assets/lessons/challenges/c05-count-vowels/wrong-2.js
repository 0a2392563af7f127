// WRONG: the loop starts at index 1, so the first character is never checked.
function countVowels(text) {
  let count = 0;
  const lower = text.toLowerCase();
  for (let i = 1; i < lower.length; i++) {
    if ("aeiou".indexOf(lower[i]) !== -1) count++;
  }
  return count;
}
