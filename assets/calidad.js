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
    // A grid's request for rows (components/paged_grid.py): its first page came with the page (``first``: the
    // request it answers, the answer, the values of this callback's other outputs), so it is answered here, with
    // no round trip; any other page, order or filter is left to the server, through the grid's ask store (the
    // last output), with only what the server reads of the request.
    firstPage: function (request, first) {
      var skip = window.dash_clientside.no_update;
      var others = window.dash_clientside.callback_context.outputs_list.length - 2;
      if (!request) return [skip].concat(Array(others).fill(skip), [skip]);
      var asked = {
        startRow: request.startRow,
        endRow: request.endRow,
        sortModel: request.sortModel || [],
        filterModel: request.filterModel || {},
      };
      var order = function (model) {
        return model.map(function (s) {
          return s.colId + " " + s.sort;
        }).join();
      };
      var mine = first && first.request;
      if (
        mine &&
        asked.startRow === mine.startRow &&
        asked.endRow === mine.endRow &&
        order(asked.sortModel) === order(mine.sortModel) &&
        Object.keys(asked.filterModel).length === 0
      ) {
        return [first.answer].concat(first.told, [skip]);
      }
      return [skip].concat(Array(others).fill(skip), [asked]);
    },
  },
});
