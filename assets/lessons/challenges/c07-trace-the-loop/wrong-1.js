// WRONG: forgets that b was set to 4 when 6 replaced a; 3 is not > 4.
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
    result: [6, 3],
    iterations: 3,
    swaps: 1,
  };
}
