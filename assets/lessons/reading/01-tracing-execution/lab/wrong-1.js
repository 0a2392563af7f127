// Fixed compress, but the predictions describe what the code was MEANT to do,
// not what the original code actually did.
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

function predictions() {
  return {
    output: "a3b1c2d2",
    elseRuns: 4,
    finalCount: 2,
  };
}
