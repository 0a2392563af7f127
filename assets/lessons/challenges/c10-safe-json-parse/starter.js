function safeParse(text, fallback) {
  return JSON.parse(text);
}
