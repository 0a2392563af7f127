check("binarySearch finds every element, including the last",
  "When the range narrows to a single candidate, lo === hi. Does your loop condition still let it check that candidate?",
  () => {
    const arr = [1, 3, 5, 7, 9];
    for (let i = 0; i < arr.length; i++) {
      assertEqual(binarySearch(arr, arr[i]), i, "binarySearch([1,3,5,7,9], " + arr[i] + ")");
    }
    assertEqual(binarySearch([4], 4), 0, "binarySearch([4], 4)");
  });

check("binarySearch returns -1 for missing values",
  "Try values smaller than everything, larger than everything, and in a gap. Each branch must move lo or hi past mid, or the loop can run forever.",
  () => {
    assertEqual(binarySearch([1, 3, 5], 0), -1, "binarySearch([1,3,5], 0)");
    assertEqual(binarySearch([1, 3, 5], 4), -1, "binarySearch([1,3,5], 4)");
    assertEqual(binarySearch([1, 3, 5], 6), -1, "binarySearch([1,3,5], 6)");
    assertEqual(binarySearch([], 1), -1, "binarySearch([], 1)");
  });

check("median compares numbers, not strings",
  "sort() without a comparator sorts as strings (\"10\" comes before \"9\"). Pass (a, b) => a - b.",
  () => {
    assertEqual(median([10, 9, 2]), 9, "median([10, 9, 2])");
    assertEqual(median([1, 100, 20, 3]), 11.5, "median([1, 100, 20, 3])");
    assertEqual(median([5]), 5, "median([5])");
  });

check("median does not change its input",
  "sort() reorders the array in place. Sort a copy: nums.slice() or [...nums].",
  () => {
    const input = [3, 1, 2];
    median(input);
    assertEqual(input, [3, 1, 2], "the array passed to median");
  });
