function chunk(items, size) {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError("chunk: size must be a positive integer, got " + size);
  }
  const out = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
