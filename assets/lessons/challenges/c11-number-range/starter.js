function range(start, end, step) {
  const out = [];
  for (let i = start; i < end; i++) out.push(i);
  return out;
}
