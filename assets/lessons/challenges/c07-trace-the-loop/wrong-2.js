// WRONG: counts four iterations, but the loop starts at i = 1.
function mystery(nums) {
  let a = nums[0];
  let b = 0;
  for (let i = 1; i < nums.length; i++) {
    if (nums[i] > a) {
      b = a;
      a = nums[i];
    } else if (nums[i] > b) {
      b = nums[i];
    }
  }
  return [a, b];
}

function predictions() {
  return {
    result: [6, 4],
    iterations: 4,
    swaps: 1,
  };
}
