// Keyboard for controls drawn as plain elements: Enter or Space on a focusable role="button" that is not a real
// <button> clicks the element inside that holds the action (a dcc.Clipboard, which listens to clicks only).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" && event.key !== " ") return;
  var el = event.target;
  if (!el || el.tagName === "BUTTON" || el.getAttribute("role") !== "button") return;
  event.preventDefault();
  (el.firstElementChild || el).click();
});
