function clamp(value, min, max) {
  return Math.min(min, Math.max(value, max));
}
