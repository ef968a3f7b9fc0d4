// Grid functions: empty cells sort last whatever the direction.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.nullsLast = function (a, b, nodeA, nodeB, isDescending) {
  var na = a === null || a === undefined, nb = b === null || b === undefined;
  if (na && nb) return 0;
  if (na) return isDescending ? -1 : 1;
  if (nb) return isDescending ? 1 : -1;
  return a - b;
};
