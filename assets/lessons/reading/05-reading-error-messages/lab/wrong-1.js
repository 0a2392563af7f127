// WRONG: silences the error instead of fixing it. One-word names now get ""
// instead of their initial, and nobody finds out.

function diagnosis() {
  return { undefinedExpression: "parts[1]" };
}

function initials(fullName) {
  try {
    const parts = fullName.split(" ");
    return (parts[0][0] + parts[1][0]).toUpperCase();
  } catch (e) {
    return "";
  }
}

function teamBadges(members) {
  return members.map(function (member) {
    return initials(member.name);
  });
}
