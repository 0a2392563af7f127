// WRONG (infinite loop): keeps the last short chunk, but has no guard for
// size 0 — i += 0 never moves, so the loop runs forever.
function chunk(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
