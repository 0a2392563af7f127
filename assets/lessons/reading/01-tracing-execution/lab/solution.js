// Fixed: after the loop, the last run has not been added yet, so add it —
// but only if there was any input at all.
function compress(s) {
  if (s.length === 0) return "";
  let out = "";
  let count = 1;
  for (let i = 1; i < s.length; i++) {
    if (s[i] === s[i - 1]) {
      count++;
    } else {
      out += s[i - 1] + count;
      count = 1;
    }
  }
  out += s[s.length - 1] + count;
  return out;
}

// Trace of the original code for "aaabccdd":
// i=3 (a->b), i=4 (b->c), i=6 (c->d) take the else branch; the final "dd" run
// is never written out, and count is 2 when the loop ends.
function predictions() {
  return {
    output: "a3b1c2",
    elseRuns: 3,
    finalCount: 2,
  };
}
