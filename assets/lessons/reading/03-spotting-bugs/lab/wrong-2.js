// WRONG (infinite loop): binarySearch was "simplified" into while (true) with
// an explicit exit, but the else branch sets hi = mid. Once lo === hi and the
// target is smaller than sorted[mid], neither lo nor hi changes again, so the
// loop never ends. The grader's time limit has to stop it.

function binarySearch(sorted, target) {
  let lo = 0;
  let hi = sorted.length - 1;
  while (true) {
    if (lo > hi) return -1;
    const mid = Math.floor((lo + hi) / 2);
    if (sorted[mid] === target) return mid;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
}

function median(nums) {
  const sorted = nums.slice().sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 0) {
    return (sorted[mid - 1] + sorted[mid]) / 2;
  }
  return sorted[mid];
}
