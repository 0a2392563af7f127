// Correct predictions, but the fix always appends the last run — even when
// the string is empty, where s[-1] is undefined.
function compress(s) {
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
    output: "a3b1c2",
    elseRuns: 3,
    finalCount: 2,
  };
}
