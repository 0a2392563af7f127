check("Adds only the even values",
  "Test each value with n % 2 === 0 — it is the value that must be even, not its position.",
  () => {
    assertEqual(sumEvens([1, 2, 3, 4]), 6, "sumEvens([1, 2, 3, 4])");
    assertEqual(sumEvens([2, 3, 5, 8]), 10, "sumEvens([2, 3, 5, 8])");
  });
check("Handles negative numbers",
  "In JavaScript -3 % 2 is -1, not 1. Compare with 0 instead of 1.",
  () => {
    assertEqual(sumEvens([-4, -3, 5]), -4, "sumEvens([-4, -3, 5])");
  });
check("Empty array sums to 0",
  "Start your total at 0.",
  () => {
    assertEqual(sumEvens([]), 0, "sumEvens([])");
    assertEqual(sumEvens([1, 3]), 0, "sumEvens([1, 3])");
  });
