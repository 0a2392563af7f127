// Return the sum of the even numbers in nums.
function sumEvens(nums) {
  // TODO
  return 0;
}
