check("Values inside the range are unchanged",
  "If min <= value <= max, return value itself.",
  () => {
    assertEqual(clamp(5, 0, 10), 5, "clamp(5, 0, 10)");
    assertEqual(clamp(0, 0, 10), 0, "clamp(0, 0, 10)");
  });
check("Values outside are pulled to the nearest bound",
  "Too small -> min, too large -> max. Math.max(min, Math.min(value, max)) does both.",
  () => {
    assertEqual(clamp(-3, 0, 10), 0, "clamp(-3, 0, 10)");
    assertEqual(clamp(42, 0, 10), 10, "clamp(42, 0, 10)");
  });
check("min > max throws a RangeError",
  "Check the bounds first: if (min > max) throw new RangeError(...).",
  () => {
    let error = null;
    try { clamp(5, 10, 0); } catch (e) { error = e; }
    assert(error !== null, "clamp(5, 10, 0) should throw");
    assert(error instanceof RangeError, "expected a RangeError, got " + (error && error.name));
  });
