function clamp(value, min, max) {
  if (min > max) throw new RangeError("clamp: min (" + min + ") is greater than max (" + max + ")");
  return Math.max(min, Math.min(value, max));
}
