// The message says "reading '0'" of undefined. On the failing line, only
// parts[1] can be undefined: a one-word name splits into a single part.

function diagnosis() {
  return { undefinedExpression: "parts[1]" };
}

// First letter of the first word plus first letter of the last word.
function initials(fullName) {
  const parts = fullName.split(" ").filter(function (p) { return p !== ""; });
  if (parts.length === 0) return "";
  const first = parts[0][0];
  const last = parts.length > 1 ? parts[parts.length - 1][0] : "";
  return (first + last).toUpperCase();
}

function teamBadges(members) {
  return members.map(function (member) {
    if (typeof member.name !== "string") return "?";
    return initials(member.name);
  });
}
