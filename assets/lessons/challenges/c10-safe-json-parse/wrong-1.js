// WRONG: catches the error but forgets to return the fallback.
function safeParse(text, fallback) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return undefined;
  }
}
