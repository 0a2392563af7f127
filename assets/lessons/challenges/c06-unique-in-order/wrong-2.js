// WRONG: uses object keys to remember values, but keys are strings, so 1 and
// "1" collide and numbers come back as strings.
function unique(items) {
  const seen = {};
  const out = [];
  for (const x of items) {
    if (!seen[x]) {
      seen[x] = true;
      out.push(String(x));
    }
  }
  return out;
}
