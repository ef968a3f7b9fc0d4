// Keyboard for controls drawn as plain elements: Enter or Space on a focusable role="button" that is not a real
// <button> clicks the element inside that holds the action (a dcc.Clipboard, which listens to clicks only).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" && event.key !== " ") return;
  var el = event.target;
  if (!el || el.tagName === "BUTTON" || el.getAttribute("role") !== "button") return;
  event.preventDefault();
  (el.firstElementChild || el).click();
});
// The region page's drill-down (issue 22): Enter or Space on a focused row of a grid whose rows open their own
// breakdown (.drill-clickable) does what a click does. In the capture phase, before AG Grid's own keys (Space
// would otherwise scroll the page).
document.addEventListener(
  "keydown",
  function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var cell = event.target && event.target.closest && event.target.closest(".drill-clickable .ag-cell");
    if (!cell) return;
    event.preventDefault();
    cell.click();
  },
  true
);
