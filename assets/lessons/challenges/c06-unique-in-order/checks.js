check("Keeps first occurrences in their original order",
  "Walk the array once and remember what you have seen (a Set works well). Don't sort.",
  () => {
    assertEqual(unique([3, 1, 3, 2, 1]), [3, 1, 2], "unique([3, 1, 3, 2, 1])");
    assertEqual(unique(["b", "a", "b"]), ["b", "a"], "unique([\"b\", \"a\", \"b\"])");
  });
check("Different types stay different",
  "1 and \"1\" are different values. Object keys are always strings; a Set compares values exactly.",
  () => {
    assertEqual(unique([1, "1", 1]), [1, "1"], "unique([1, \"1\", 1])");
  });
check("Does not change the input",
  "Build a new array instead of splicing the one you were given.",
  () => {
    const input = [2, 2, 1];
    const result = unique(input);
    assertEqual(input, [2, 2, 1], "the input array");
    assert(result !== input, "unique should return a new array");
  });
