// Callbacks run in the browser (dashboard/callbacks.py clientside): no request to the server.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  semaforo: {
    // The language the URL asks for (its last lang=, as dashboard.state.parse reads it), when it is not the one
    // the shell shows: only then is the shell redrawn (dashboard/app.py switch_language).
    language: function (search, shown) {
      var asked = new URLSearchParams(search || "").getAll("lang").pop();
      var lang = asked === "en" || asked === "es" ? asked : "es";
      return lang === shown ? window.dash_clientside.no_update : lang;
    },
    // The URL's query once the region page's charts are in view, and at each change after that (the server's
    // draw callback, dashboard/pages/region_charts.py, then sends what changed); nothing while they wait.
    when_seen: function (search, seen) {
      return seen ? search || "?" : window.dash_clientside.no_update;
    },
    // The region drill-down's six choosers (dashboard/pages/region_drill.py): a person changes one at a time; all
    // of them at once is a new drill-down drawn by the server, whose values the URL already holds.
    drill_choice: function (indicator, tree, province, district, red, microred) {
      if (window.dash_clientside.callback_context.triggered.length !== 1) return window.dash_clientside.no_update;
      return [indicator, tree, province, district, red, microred];
    },
    // A click on a row of the drill-down's grid (none when a new grid is drawn).
    drill_click: function (cell) {
      return cell ? cell : window.dash_clientside.no_update;
    },
  },
});
