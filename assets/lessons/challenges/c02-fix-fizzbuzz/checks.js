check("15 becomes FizzBuzz",
  "Trace i = 15: which condition is tested first? Put the most specific case (multiple of 15) before the others.",
  () => {
    const r = fizzbuzz(15);
    assertEqual(r[14], "FizzBuzz", "fizzbuzz(15)[14]");
  });
check("Covers 1 to n inclusive",
  "The array for n = 5 has five entries; the last one is for 5 itself.",
  () => {
    assertEqual(fizzbuzz(5).length, 5, "fizzbuzz(5).length");
    assertEqual(fizzbuzz(0), [], "fizzbuzz(0)");
  });
check("Full sequence up to 15",
  "Plain numbers stay numbers (1, not \"1\").",
  () => {
    assertEqual(fizzbuzz(15), [1, 2, "Fizz", 4, "Buzz", "Fizz", 7, 8, "Fizz", "Buzz", 11, "Fizz", 13, 14, "FizzBuzz"], "fizzbuzz(15)");
  });
