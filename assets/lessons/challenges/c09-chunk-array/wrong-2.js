// WRONG: guards the size, but still drops the last, shorter chunk.
function chunk(items, size) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError("bad size");
  const out = [];
  for (let i = 0; i + size <= items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
