function fizzbuzz(n) {
  const out = [];
  for (let i = 1; i <= n; i++) {
    // Most specific case first: 15 is also a multiple of 3 and of 5.
    if (i % 15 === 0) out.push("FizzBuzz");
    else if (i % 3 === 0) out.push("Fizz");
    else if (i % 5 === 0) out.push("Buzz");
    else out.push(i);
  }
  return out;
}
