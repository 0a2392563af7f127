check("Plain title: \"Hello World\" -> \"hello-world\"",
  "Lowercase the title and join the words with a single dash.",
  () => {
    assertEqual(slugify("Hello World"), "hello-world", "slugify(\"Hello World\")");
  });

check("Surrounding spaces: \"  Trim me  \" -> \"trim-me\"",
  "No dash may appear at the start or end of a slug. Trim, or strip leading and trailing dashes after replacing.",
  () => {
    assertEqual(slugify("  Trim me  "), "trim-me", "slugify(\"  Trim me  \")");
  });

check("Symbols collapse: \"Rust & JavaScript: a love story\"",
  "A run of several non-alphanumeric characters (\" & \", \": \") must become ONE dash. Try a regex with + such as /[^a-z0-9]+/g.",
  () => {
    assertEqual(slugify("Rust & JavaScript: a love story"), "rust-javascript-a-love-story", "slugify(\"Rust & JavaScript: a love story\")");
  });

check("Numbers stay, trailing punctuation goes: \"Version 2.0 -- released!\"",
  "Digits are kept, \".\" and \"--\" become one dash, and the \"!\" at the end must not leave a trailing dash.",
  () => {
    assertEqual(slugify("Version 2.0 -- released!"), "version-2-0-released", "slugify(\"Version 2.0 -- released!\")");
  });

check("Empty title gives an empty slug",
  "slugify(\"\") should return \"\" — not \"-\" and not undefined.",
  () => {
    assertEqual(slugify(""), "", "slugify(\"\")");
  });
