// checkout.js — it works, but the bulk-discount rule (10 or more units get
// 10% off) and the rounding to cents are written out again and again.
//
// Refactor: add lineTotal(item) and isBulk(item) helpers and make
// orderSummary use them. The results of orderSummary must not change.

function orderSummary(order) {
  let subtotal = 0;
  for (let i = 0; i < order.items.length; i++) {
    const item = order.items[i];
    let line = item.unitPrice * item.qty;
    if (item.qty >= 10) line = line * 0.9;
    subtotal += Math.round(line * 100) / 100;
  }
  subtotal = Math.round(subtotal * 100) / 100;

  let bulkLines = 0;
  for (let i = 0; i < order.items.length; i++) {
    if (order.items[i].qty >= 10) bulkLines++;
  }

  let savings = 0;
  for (let i = 0; i < order.items.length; i++) {
    const item = order.items[i];
    if (item.qty >= 10) {
      const full = item.unitPrice * item.qty;
      savings += Math.round(full * 100) / 100 - Math.round(full * 0.9 * 100) / 100;
    }
  }
  savings = Math.round(savings * 100) / 100;

  const tax = Math.round(subtotal * order.taxRate * 100) / 100;
  return {
    subtotal: subtotal,
    tax: tax,
    total: Math.round((subtotal + tax) * 100) / 100,
    bulkLines: bulkLines,
    savings: savings,
  };
}
