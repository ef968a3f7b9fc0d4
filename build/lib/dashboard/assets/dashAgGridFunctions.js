// Grid functions: empty cells sort last whatever the direction.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.nullsLast = function (a, b, nodeA, nodeB, isDescending) {
  var na = a === null || a === undefined, nb = b === null || b === undefined;
  if (na && nb) return 0;
  if (na) return isDescending ? -1 : 1;
  if (nb) return isDescending ? 1 : -1;
  return a - b;
};

// Numbers as the app writes them elsewhere (es-PE: 1,234.5), with a fixed number of decimals; '–' when empty.
dagfuncs.fixed = function (value, decimals) {
  if (value === null || value === undefined || isNaN(value)) return "–";
  return Number(value).toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
};
