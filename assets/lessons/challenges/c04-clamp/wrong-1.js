// WRONG: clamps correctly but never validates min and max.
function clamp(value, min, max) {
  return Math.max(min, Math.min(value, max));
}
