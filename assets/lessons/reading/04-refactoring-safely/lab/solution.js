// checkout.js — refactored. Each rule now lives in exactly one place.

function roundCents(amount) {
  return Math.round(amount * 100) / 100;
}

function isBulk(item) {
  return item.qty >= 10;
}

// Price of one order line, bulk discount included, rounded to cents.
function lineTotal(item) {
  let line = item.unitPrice * item.qty;
  if (isBulk(item)) line = line * 0.9;
  return roundCents(line);
}

function orderSummary(order) {
  let subtotal = 0;
  let bulkLines = 0;
  let savings = 0;
  for (let i = 0; i < order.items.length; i++) {
    const item = order.items[i];
    const line = lineTotal(item);
    subtotal += line;
    if (isBulk(item)) {
      bulkLines++;
      savings += roundCents(item.unitPrice * item.qty) - line;
    }
  }
  subtotal = roundCents(subtotal);
  savings = roundCents(savings);

  const tax = roundCents(subtotal * order.taxRate);
  return {
    subtotal: subtotal,
    tax: tax,
    total: roundCents(subtotal + tax),
    bulkLines: bulkLines,
    savings: savings,
  };
}
