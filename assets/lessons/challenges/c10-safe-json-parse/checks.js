check("Valid JSON is parsed",
  "JSON.parse does the work for valid input.",
  () => {
    assertEqual(safeParse("{\"a\": [1, 2]}", null), { a: [1, 2] }, "safeParse of an object");
    assertEqual(safeParse("\"hi\"", null), "hi", "safeParse of a string");
  });
check("Invalid JSON returns the fallback",
  "JSON.parse throws a SyntaxError for bad input. Catch it and return fallback.",
  () => {
    assertEqual(safeParse("{\"a\": 1,}", { ok: false }), { ok: false }, "safeParse with a trailing comma");
    assertEqual(safeParse("", 42), 42, "safeParse(\"\")");
  });
check("Falsy JSON values are real values",
  "\"0\", \"false\" and \"null\" are valid JSON. Don't use || fallback, which replaces every falsy result.",
  () => {
    assertEqual(safeParse("0", 99), 0, "safeParse(\"0\")");
    assertEqual(safeParse("false", true), false, "safeParse(\"false\")");
    assertEqual(safeParse("null", "fallback"), null, "safeParse(\"null\")");
  });
