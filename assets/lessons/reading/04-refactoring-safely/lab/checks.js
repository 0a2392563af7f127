check("lineTotal prices one line",
  "lineTotal(item) = unitPrice × qty, 10% off when the line is bulk, rounded to cents exactly like the original loop (Math.round(x * 100) / 100).",
  () => {
    assertEqual(lineTotal({ unitPrice: 2.5, qty: 4 }), 10, "lineTotal 2.5 × 4");
    assertEqual(lineTotal({ unitPrice: 1.99, qty: 10 }), 17.91, "lineTotal 1.99 × 10 (bulk)");
    assertEqual(lineTotal({ unitPrice: 0.1, qty: 3 }), 0.3, "lineTotal 0.1 × 3");
  });

check("isBulk keeps the original rule",
  "The original code uses qty >= 10. Exactly 10 units is bulk; 9 is not.",
  () => {
    assertEqual(isBulk({ unitPrice: 1, qty: 9 }), false, "isBulk with qty 9");
    assertEqual(isBulk({ unitPrice: 1, qty: 10 }), true, "isBulk with qty 10");
  });

check("orderSummary returns exactly what it did before",
  "These results were recorded from the original code. If one changed, compare the order of rounding in your version with the original.",
  () => {
    const cases = [
      ["order 1", { items: [{ unitPrice: 2.5, qty: 4 }, { unitPrice: 1.99, qty: 10 }, { unitPrice: 0.1, qty: 3 }], taxRate: 0.08 },
        { subtotal: 28.21, tax: 2.26, total: 30.47, bulkLines: 1, savings: 1.99 }],
      ["order 2", { items: [{ unitPrice: 19.99, qty: 12 }, { unitPrice: 0.35, qty: 3 }, { unitPrice: 4.15, qty: 9 }], taxRate: 0.0725 },
        { subtotal: 254.29, tax: 18.44, total: 272.73, bulkLines: 1, savings: 23.99 }],
      ["empty order", { items: [], taxRate: 0.2 },
        { subtotal: 0, tax: 0, total: 0, bulkLines: 0, savings: 0 }],
      ["order 4 (tricky rounding)", { items: [{ unitPrice: 0.335, qty: 10 }, { unitPrice: 1.005, qty: 1 }], taxRate: 0.1 },
        { subtotal: 4.02, tax: 0.4, total: 4.42, bulkLines: 1, savings: 0.33 }],
    ];
    for (const [label, order, expected] of cases) {
      const actual = orderSummary(order);
      for (const key of Object.keys(expected)) {
        assertEqual(actual[key], expected[key], label + ": " + key);
      }
    }
  });

check("orderSummary uses lineTotal",
  "The point of the refactor is one pricing rule in one place: orderSummary should call lineTotal(item) instead of repeating the calculation. Declare it as a top-level function: function lineTotal(item) { … }.",
  () => {
    const original = lineTotal;
    let summary;
    globalThis.lineTotal = function () { return 1; };
    try {
      summary = orderSummary({ items: [{ unitPrice: 5, qty: 2 }, { unitPrice: 3, qty: 20 }], taxRate: 0 });
    } finally {
      globalThis.lineTotal = original;
    }
    assertEqual(summary.subtotal, 2, "subtotal when every lineTotal is 1");
  });

check("orderSummary does not modify the order",
  "Do not store anything on the items or the order (for example item.lineTotal = …). Compute values in local variables.",
  () => {
    const order = { items: [{ unitPrice: 2, qty: 10 }, { unitPrice: 3, qty: 1 }], taxRate: 0.1 };
    const before = JSON.stringify(order);
    orderSummary(order);
    assertEqual(JSON.stringify(order), before, "the order after orderSummary");
  });
