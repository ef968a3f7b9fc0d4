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
    // A chart's figure, from its store, once the page's charts have come into view (assets/markup.js).
    chart: function (figure, seen) {
      return seen && figure ? figure : window.dash_clientside.no_update;
    },
  },
});
