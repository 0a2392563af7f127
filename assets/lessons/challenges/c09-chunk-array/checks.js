check("Invalid sizes throw a RangeError",
  "Check size before the loop. With size 0, i += size never advances and the loop never ends.",
  () => {
    for (const bad of [0, -2, 1.5]) {
      let error = null;
      try { chunk([1, 2, 3], bad); } catch (e) { error = e; }
      assert(error instanceof RangeError, "chunk([1, 2, 3], " + bad + ") should throw a RangeError");
    }
  });
check("Splits into full chunks",
  "Step i by size and slice(i, i + size).",
  () => {
    assertEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]], "chunk([1, 2, 3, 4], 2)");
  });
check("Keeps the last, shorter chunk",
  "Loop while i < items.length — slice stops at the end of the array by itself.",
  () => {
    assertEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]], "chunk([1, 2, 3, 4, 5], 2)");
    assertEqual(chunk([1, 2], 5), [[1, 2]], "chunk([1, 2], 5)");
    assertEqual(chunk([], 3), [], "chunk([], 3)");
  });
