// Trace mystery([4, 1, 6, 3]) by hand.
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
    result: null,     // TODO: what mystery([4, 1, 6, 3]) returns
    iterations: null, // TODO: how many times the loop body runs
    swaps: null,      // TODO: how many times the first if-body (b = a; a = nums[i]) runs
  };
}
