function unique(items) {
  const sorted = items.slice().sort();
  return sorted.filter(function (x, i) { return i === 0 || x !== sorted[i - 1]; });
}
