check("Counts up by 1 by default",
  "When step is undefined, use 1. The end value itself is not included.",
  () => {
    assertEqual(range(0, 4), [0, 1, 2, 3], "range(0, 4)");
    assertEqual(range(3, 3), [], "range(3, 3)");
  });
check("Uses the step, even when it jumps over end",
  "Stop with i < end, not i !== end: with step 2 from 0, i never equals 5.",
  () => {
    assertEqual(range(0, 5, 2), [0, 2, 4], "range(0, 5, 2)");
  });
check("Negative steps count down",
  "With a negative step, keep going while i > end.",
  () => {
    assertEqual(range(5, 0, -2), [5, 3, 1], "range(5, 0, -2)");
  });
check("Step 0 throws a RangeError",
  "A step of 0 would never reach end. Throw new RangeError(...) before looping.",
  () => {
    let error = null;
    try { range(0, 3, 0); } catch (e) { error = e; }
    assert(error instanceof RangeError, "range(0, 3, 0) should throw a RangeError");
  });
