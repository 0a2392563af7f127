// WRONG: handles one-word names and uses the last word, but still splits on a
// single space, so extra spaces produce empty "words". Also blames the wrong
// expression in the diagnosis.

function diagnosis() {
  return { undefinedExpression: "parts[0]" };
}

function initials(fullName) {
  const parts = fullName.split(" ");
  if (parts.length === 1) return fullName === "" ? "" : fullName[0].toUpperCase();
  return (parts[0][0] + parts[parts.length - 1][0]).toUpperCase();
}

function teamBadges(members) {
  return members.map(function (member) {
    if (typeof member.name !== "string") return "?";
    return initials(member.name);
  });
}
