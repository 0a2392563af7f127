// Step 1: trace this function by hand for compress("aaabccdd").
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
  return out;
}

// Fill in what the ORIGINAL compress("aaabccdd") does, from your trace.
function predictions() {
  return {
    output: null,     // TODO: the string it returns
    elseRuns: null,   // TODO: how many times the else branch runs
    finalCount: null, // TODO: the value of count after the loop
  };
}
