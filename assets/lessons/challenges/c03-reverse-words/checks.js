check("Reverses word order",
  "Split into words, reverse the array, join with \" \". Letters inside each word stay in order.",
  () => {
    assertEqual(reverseWords("the quick fox"), "fox quick the", "reverseWords(\"the quick fox\")");
    assertEqual(reverseWords("hello"), "hello", "reverseWords(\"hello\")");
  });
check("Extra spaces are ignored",
  "Split on runs of whitespace (/\\s+/) and drop empty strings.",
  () => {
    assertEqual(reverseWords("  one   two three  "), "three two one", "reverseWords(\"  one   two three  \")");
  });
check("Empty and blank input",
  "With no words, the result is the empty string.",
  () => {
    assertEqual(reverseWords(""), "", "reverseWords(\"\")");
    assertEqual(reverseWords("   "), "", "reverseWords(\"   \")");
  });
