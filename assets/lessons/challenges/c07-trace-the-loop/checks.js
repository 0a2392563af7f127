check("Predicted the result",
  "Write down a and b after each iteration. When 6 arrives, the old a moves into b before a changes.",
  () => {
    assertEqual(predictions().result, [6, 4], "predictions().result");
  });
check("Predicted the number of iterations",
  "i starts at 1 and stops when i < nums.length is false. Which values of i run?",
  () => {
    assertEqual(predictions().iterations, 3, "predictions().iterations");
  });
check("Predicted how often the first branch runs",
  "The first branch runs only when nums[i] is larger than the current a.",
  () => {
    assertEqual(predictions().swaps, 1, "predictions().swaps");
  });
