// WRONG: sums the values at even INDEXES instead of the even values.
function sumEvens(nums) {
  let total = 0;
  for (let i = 0; i < nums.length; i += 2) total += nums[i];
  return total;
}
