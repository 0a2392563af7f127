check("Diagnosis: which expression was undefined?",
  "The message says it was reading '0' from undefined, so look for X[0] on the failing line. parts[0] always exists after split, and reading [0] from a string never throws. Which X can be undefined?",
  () => {
    const answer = String(diagnosis().undefinedExpression).replace(/\s+/g, "");
    assertEqual(answer, "parts[1]", "diagnosis().undefinedExpression");
  });

check("Two-word and one-word names",
  "A one-word name like \"Cher\" has no second part. Its initials are just \"C\".",
  () => {
    assertEqual(initials("Ada Lovelace"), "AL", "initials(\"Ada Lovelace\")");
    assertEqual(initials("Cher"), "C", "initials(\"Cher\")");
    assertEqual(initials("bell hooks"), "BH", "initials(\"bell hooks\")");
  });

check("Extra spaces are ignored",
  "split(\" \") turns \"  grace   hopper \" into several empty strings. Drop empty parts before picking letters.",
  () => {
    assertEqual(initials("  grace   hopper "), "GH", "initials(\"  grace   hopper \")");
  });

check("Middle names: first and last word",
  "Use the first letter of the first word and of the LAST word: parts[parts.length - 1].",
  () => {
    assertEqual(initials("Mary Ann Evans"), "ME", "initials(\"Mary Ann Evans\")");
  });

check("Empty names and missing names",
  "initials(\"\") should be \"\". In teamBadges, a member without a name (name undefined) gets \"?\" — otherwise you get a new error: reading 'split' of undefined.",
  () => {
    assertEqual(initials(""), "", "initials(\"\")");
    assertEqual(teamBadges([{ name: "Ada Lovelace" }, { name: "Cher" }, {}]), ["AL", "C", "?"], "teamBadges([...])");
  });
