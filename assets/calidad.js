// Calidad de datos: its grids hold one page of rows, asked of the server (AG Grid's infinite row model). When a
// filter change redraws the page, a grid that stays on it keeps its old rows unless told: its cache is emptied,
// so that it asks again for the rows of the page's new URL (dashboard/pages/calidad.py, grid_rows).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  calidad: {
    refreshGrids: function (children, ids) {
      (ids || []).forEach(function (id) {
        try {
          var api = dash_ag_grid.getApi(id);
          if (api && !api.isDestroyed()) api.purgeInfiniteCache();
        } catch (e) {
          // not on the page (an empty list shows a sentence), or not drawn yet: it asks for its rows when drawn
        }
      });
      return window.dash_clientside.no_update;
    },
  },
});
