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

// The grid's own words in Spanish (pagination, filters, empty grid), from the script the server sends once per
// browser (dashboard/delivery.py) rather than inside every grid; the grid's English where a word is missing.
dagfuncs.gridText = function (params) {
  var es = window.semaforoGridEs || {};
  return Object.prototype.hasOwnProperty.call(es, params.key) ? es[params.key] : params.defaultValue;
};

// One theme object per set of parameters, shared by every grid (dashboard/components/scorecard.py GRID_THEME):
// each grid evaluating its own `themeQuartz.withParams(...)` got a theme of its own — 70 kB of CSS injected per
// grid, the whole page's styles computed again — and a new one at each of its renders (a theme change).
var sharedThemes = {};
dagfuncs.sharedTheme = function (base, params) {
  var key = JSON.stringify(params);
  if (!sharedThemes[key]) sharedThemes[key] = base.withParams(params);
  return sharedThemes[key];
};
