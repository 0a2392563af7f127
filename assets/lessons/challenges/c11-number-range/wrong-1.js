// WRONG (infinite loop): stops only when i hits end exactly. With start 0,
// end 5 and step 2, i goes 0, 2, 4, 6, 8, ... and never equals 5.
function range(start, end, step) {
  if (step === undefined) step = 1;
  if (step === 0) throw new RangeError("range: step must not be 0");
  const out = [];
  for (let i = start; i !== end; i += step) out.push(i);
  return out;
}
