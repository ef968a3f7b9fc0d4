// Cell renderers of the scorecard and tables: the traffic light as colour + icon + value + word.
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.StatusCell = function (props) {
  var cell = props.data && props.colDef && props.data[props.colDef.colId];
  var e = React.createElement;
  if (!cell) {
    return e("span", { className: "light light-sin_datos light-sm" },
      e("i", { className: "bi bi-dash-circle light-icon", "aria-hidden": "true" }),
      e("span", { className: "light-label" }, props.context && props.context.noData || "Sin datos"));
  }
  // the status's word and icon, once per grid in its context (components/scorecard.py grid_options)
  var s = (props.context && props.context.statuses || {})[cell.s] || { l: cell.s, i: "dash-circle" };
  return e("span", { className: "light light-sm light-" + cell.s, title: cell.h },
    e("i", { className: "bi bi-" + s.i + " light-icon", "aria-hidden": "true" }),
    cell.t && cell.t !== "–" ? e("span", { className: "light-value" }, cell.t) : null,
    cell.a ? e("span", { className: "light-trend" }, cell.a) : null,
    e("span", { className: "light-label" }, s.l));
};

dagcomponentfuncs.TerritoryLink = function (props) {
  var e = React.createElement;
  if (!props.data || !props.data.href) {
    return e("strong", null, props.value);
  }
  return e("a", { href: props.data.href }, props.value);
};

dagcomponentfuncs.LightCell = function (props) {
  // A row whose fields are: status (code), status_label, status_icon, value_text.
  var d = props.data || {};
  var e = React.createElement;
  return e("span", { className: "light light-sm light-" + (d.status || "sin_datos") },
    e("i", { className: "bi bi-" + (d.status_icon || "dash-circle") + " light-icon", "aria-hidden": "true" }),
    d.value_text && d.value_text !== "–" ? e("span", { className: "light-value" }, d.value_text) : null,
    e("span", { className: "light-label" }, d.status_label || ""));
};

dagcomponentfuncs.StatusKey = function (props) {
  // A status code in the cell; its word and icon from cellRendererParams.statuses (the app's language).
  var e = React.createElement;
  var code = props.value || "sin_datos";
  var s = (props.statuses || {})[code] || { l: code, i: "dash-circle" };
  return e("span", { className: "light light-sm light-" + code },
    e("i", { className: "bi bi-" + s.i + " light-icon", "aria-hidden": "true" }),
    e("span", { className: "light-label" }, s.l));
};
