check("Counts lowercase vowels",
  "Check each character against \"aeiou\".",
  () => {
    assertEqual(countVowels("banana"), 3, "countVowels(\"banana\")");
    assertEqual(countVowels("rhythm"), 0, "countVowels(\"rhythm\") — y is not a vowel here");
  });
check("Counts uppercase vowels too",
  "Lower-case the text (or the character) before comparing.",
  () => {
    assertEqual(countVowels("AEIOU aeiou"), 10, "countVowels(\"AEIOU aeiou\")");
    assertEqual(countVowels("Orange"), 3, "countVowels(\"Orange\")");
  });
check("Empty string has no vowels",
  "A loop over an empty string runs zero times; start the count at 0.",
  () => {
    assertEqual(countVowels(""), 0, "countVowels(\"\")");
  });
