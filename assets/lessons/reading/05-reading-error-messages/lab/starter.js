// Bug report from the team page:
//
//   TypeError: Cannot read properties of undefined (reading '0')
//       at initials (team.js:20:33)
//       at Array.map (<anonymous>)
//       at teamBadges (team.js:25:12)
//
// It happens for some people but not for others.
//
// 1. In diagnosis(), write the expression that was undefined, exactly as it
//    appears in the code (for example "fullName" or "parts[0]").
// 2. Fix initials() and teamBadges() — see the lab instructions.

function diagnosis() {
  return { undefinedExpression: "" }; // TODO
}

function initials(fullName) {
  const parts = fullName.split(" ");
  return (parts[0][0] + parts[1][0]).toUpperCase();
}

function teamBadges(members) {
  return members.map(function (member) {
    return initials(member.name);
  });
}
