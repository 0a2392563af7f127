check("Trace: output of the original code",
  "Trace the ORIGINAL loop for \"aaabccdd\". out only grows in the else branch, when the letter changes. Does the last run (\"dd\") ever cause a change?",
  () => {
    assertEqual(predictions().output, "a3b1c2", "predictions().output");
  });

check("Trace: how often the else branch runs",
  "Count the positions i where s[i] differs from s[i - 1] (i goes from 1 to 7).",
  () => {
    assertEqual(predictions().elseRuns, 3, "predictions().elseRuns");
  });

check("Trace: count when the loop ends",
  "After the last iteration (i = 7), how many letters are in the current run?",
  () => {
    assertEqual(predictions().finalCount, 2, "predictions().finalCount");
  });

check("Fix: compress(\"aaabccdd\") is \"a3b1c2d2\"",
  "After the loop, the last run is still waiting in s[s.length - 1] and count — append it.",
  () => {
    assertEqual(compress("aaabccdd"), "a3b1c2d2", "compress(\"aaabccdd\")");
    assertEqual(compress("abc"), "a1b1c1", "compress(\"abc\")");
  });

check("Fix: short inputs",
  "A single letter is a run of 1. For an empty string there is no last run: s[s.length - 1] is undefined, so return \"\" early.",
  () => {
    assertEqual(compress("z"), "z1", "compress(\"z\")");
    assertEqual(compress(""), "", "compress(\"\")");
  });
