// Static parts of a page arrive as one block of HTML (dashboard/components/markup.py): an element whose
// data-markup attribute holds its content. The content is set when the element is added to the page or the
// attribute changes (a callback's new block), before the browser paints. React leaves it alone: the element has
// no children of React's own.
(function () {
  function fill(el) {
    var html = el.getAttribute("data-markup");
    if (el._markup !== html) {
      el._markup = html;
      el.innerHTML = html;
    }
  }
  // Parts drawn once they come into view (the region page's charts, dashboard/pages/region.py): an element with
  // data-charts-seen="<store>" sets that store to true when it nears the screen — once per page it is drawn for
  // (data-charts-page: React may keep the element for the next region's page and only change that attribute).
  var seen = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        var store = e.target.getAttribute("data-charts-seen");
        document.querySelectorAll('[data-charts-seen="' + store + '"]').forEach(function (el) {
          seen.unobserve(el);
        });
        window.dash_clientside.set_props(store, { data: true });
      });
    },
    { rootMargin: "200px" }
  );
  function watch(el) {
    seen.unobserve(el);
    seen.observe(el); // reported at once if already in view
  }
  function scan(node) {
    if (node.nodeType !== 1) return;
    if (node.hasAttribute("data-markup")) fill(node);
    if (node.hasAttribute("data-charts-seen")) watch(node);
    if (node.firstElementChild) {
      node.querySelectorAll("[data-markup]").forEach(fill);
      node.querySelectorAll("[data-charts-seen]").forEach(watch);
    }
  }
  // The shell's language, redrawn in place (dashboard/app.py switch_language), is the document's: screen
  // readers and the browser's translation offer read <html lang>.
  function language(el) {
    if (el.id === "shell" && el.lang) document.documentElement.lang = el.lang;
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === "attributes") {
        if (r.attributeName === "lang") language(r.target);
        else if (r.attributeName === "data-charts-page") watch(r.target);
        else scan(r.target);
      } else r.addedNodes.forEach(scan);
    });
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-markup", "lang", "data-charts-page"],
  });
  // Its links navigate in place, as dcc.Link does (the URL's callbacks redraw what changes); one with a #place
  // scrolls to it, one marked data-link="stay" (the language) stays where it is, the others go to the top.
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[data-link]");
    if (!a || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    window.history.pushState({}, "", a.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    var place = a.hash && document.getElementById(a.hash.slice(1));
    if (place) place.scrollIntoView();
    else if (a.getAttribute("data-link") !== "stay") window.scrollTo(0, 0);
  });
})();
