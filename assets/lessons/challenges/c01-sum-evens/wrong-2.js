// WRONG: "not odd" is tested as n % 2 !== 1, but -3 % 2 is -1 in JavaScript,
// so negative odd numbers are counted as even.
function sumEvens(nums) {
  let total = 0;
  for (const n of nums) {
    if (n % 2 !== 1) total += n;
  }
  return total;
}
