function safeParse(text, fallback) {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) return fallback;
    throw e;
  }
}
