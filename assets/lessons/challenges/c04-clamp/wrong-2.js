// WRONG: throws a plain Error rather than a RangeError, and uses < / > in a
// way that returns the wrong bound.
function clamp(value, min, max) {
  if (min > max) throw new Error("bad range");
  if (value < min) return max;
  if (value > max) return min;
  return value;
}
