check("Existing behaviour is unchanged",
  "Your change should only add days. Minutes, seconds, milliseconds, zero and maxParts must behave as before.",
  () => {
    assertEqual(formatDuration(65000), "1m 5s", "formatDuration(65000)");
    assertEqual(formatDuration(999), "999ms", "formatDuration(999)");
    assertEqual(formatDuration(0), "0ms", "formatDuration(0)");
    assertEqual(formatDuration(3723000, 3), "1h 2m 3s", "formatDuration(3723000, 3)");
    assertEqual(parseDuration("1m 5s"), 65000, "parseDuration(\"1m 5s\")");
  });

check("formatDuration shows days",
  "formatDuration walks the unit table from the top and takes the first units that fit. Where in the table must a larger unit go so it is tried before hours?",
  () => {
    assertEqual(formatDuration(90000000), "1d 1h", "formatDuration(90000000)");
    assertEqual(formatDuration(86400000), "1d", "formatDuration(86400000)");
  });

check("formatDuration skips zero units after days",
  "2 days and 30 seconds has zero hours and zero minutes; the existing loop already skips zeros if days come from the same table.",
  () => {
    assertEqual(formatDuration(2 * 86400000 + 30000), "2d 30s", "formatDuration(172830000)");
  });

check("parseDuration understands days",
  "parseDuration looks units up with findUnit, which reads the same table. A special case inside formatDuration does not help it.",
  () => {
    assertEqual(parseDuration("1d 2h"), 93600000, "parseDuration(\"1d 2h\")");
    assertEqual(parseDuration("3d"), 259200000, "parseDuration(\"3d\")");
  });

check("Unknown units still throw",
  "Keep the existing error for units the module does not know, such as weeks.",
  () => {
    let message = null;
    try { parseDuration("2w"); } catch (e) { message = String(e.message); }
    assert(message !== null, "parseDuration(\"2w\") should throw");
    assert(message.indexOf("unknown unit") !== -1, "expected an \"unknown unit\" error, got: " + message);
  });
