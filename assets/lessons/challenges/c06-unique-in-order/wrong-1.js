// WRONG: removes duplicates in place with splice, changing the caller's array.
function unique(items) {
  for (let i = items.length - 1; i >= 0; i--) {
    if (items.indexOf(items[i]) !== i) items.splice(i, 1);
  }
  return items;
}
