check("Capitalises each word",
  "Upper-case word[0] and lower-case the rest with word.slice(1).toLowerCase().",
  () => {
    assertEqual(titleCase("hello wORLD"), "Hello World", "titleCase(\"hello wORLD\")");
    assertEqual(titleCase("a"), "A", "titleCase(\"a\")");
  });
check("Keeps double spaces",
  "split(\" \") turns a double space into an empty word. word[0] is undefined for \"\" — skip empty words instead of crashing, and don't drop them.",
  () => {
    assertEqual(titleCase("big  gap"), "Big  Gap", "titleCase(\"big  gap\")");
  });
check("Empty string",
  "\"\".split(\" \") is [\"\"], one empty word.",
  () => {
    assertEqual(titleCase(""), "", "titleCase(\"\")");
  });
