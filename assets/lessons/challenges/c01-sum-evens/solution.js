function sumEvens(nums) {
  let total = 0;
  for (const n of nums) {
    if (n % 2 === 0) total += n;
  }
  return total;
}
