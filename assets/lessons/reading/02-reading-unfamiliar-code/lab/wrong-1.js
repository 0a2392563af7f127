// WRONG: days are special-cased inside formatDuration only, so parseDuration
// still rejects "1d".
// duration.js — formats and parses short durations such as "1h 5m".
// Used by the build log ("finished in 1m 5s") and by the --timeout flag.

// Every unit the module knows, largest first. Both formatDuration and
// parseDuration read this table, so a unit is described in one place only.
function durationUnits() {
  return [
    { suffix: "h", ms: 60 * 60 * 1000 },
    { suffix: "m", ms: 60 * 1000 },
    { suffix: "s", ms: 1000 },
    { suffix: "ms", ms: 1 },
  ];
}

function findUnit(suffix) {
  const units = durationUnits();
  for (let i = 0; i < units.length; i++) {
    if (units[i].suffix === suffix) return units[i];
  }
  return null;
}

// formatDuration(65000) === "1m 5s". Units whose value is zero are skipped,
// and at most maxParts units are shown (the rest is dropped, not rounded).
function formatDuration(ms, maxParts) {
  if (maxParts === undefined) maxParts = 2;
  if (ms === 0) return "0ms";
  // Days are handled here before the normal loop.
  if (ms >= 86400000) {
    const days = Math.floor(ms / 86400000);
    const rest = ms - days * 86400000;
    if (rest === 0 || maxParts === 1) return days + "d";
    return days + "d " + formatDuration(rest, maxParts - 1);
  }
  const parts = [];
  let rest = ms;
  const units = durationUnits();
  for (let i = 0; i < units.length && parts.length < maxParts; i++) {
    const n = Math.floor(rest / units[i].ms);
    if (n > 0) {
      parts.push(n + units[i].suffix);
      rest -= n * units[i].ms;
    }
  }
  return parts.join(" ");
}

// parseDuration("1m 5s") === 65000. Throws on anything it does not recognise.
function parseDuration(text) {
  const tokens = text.trim().split(/\s+/);
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    const match = /^(\d+)([a-z]+)$/.exec(tokens[i]);
    if (!match) throw new Error("bad duration: " + tokens[i]);
    const unit = findUnit(match[2]);
    if (!unit) throw new Error("unknown unit: " + match[2]);
    total += Number(match[1]) * unit.ms;
  }
  return total;
}
