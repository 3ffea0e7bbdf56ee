(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  var overview = document.getElementById("overview");
  var host = document.getElementById("clusters");
  var onlyCommentary = document.getElementById("only-commentary");
  var find = document.getElementById("find");
  var status = document.getElementById("status");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-sort]"));
  var state = {sort: "order", commentary: false, q: ""};

  function kids(parent, selector) {
    return Array.prototype.filter.call(parent.children, function (n) {
      return n.matches(selector);
    });
  }
  function num(n, key) { return Number(n.getAttribute("data-" + key)); }
  function attr(n, key) { return n.getAttribute("data-" + key) || ""; }
  var compare = {
    order: function () { return 0; },
    size: function (a, b) { return num(b, "size") - num(a, "size"); },
    headline: function (a, b) {
      return attr(a, "headline").localeCompare(attr(b, "headline"), "en", {sensitivity: "base"});
    },
    date: function (a, b) {  /* ISO dates sort as text; undated clusters go last */
      var x = attr(a, "date"), y = attr(b, "date");
      if (!x || !y) { return (x ? 0 : 1) - (y ? 0 : 1); }
      return x < y ? -1 : x > y ? 1 : 0;
    }
  };
  function visible(n) {
    if (state.commentary && attr(n, "commentary") !== "true") { return false; }
    return !state.q || attr(n, "search").indexOf(state.q) >= 0;
  }
  function arrange(parent, selector) {
    var nodes = kids(parent, selector);
    nodes.sort(function (a, b) {
      return compare[state.sort](a, b) || num(a, "order") - num(b, "order");
    });
    nodes.forEach(function (n) { parent.appendChild(n); n.hidden = !visible(n); });
    return nodes;
  }
  function apply() {
    var cards = arrange(overview, "li.card");
    arrange(host, "section.cluster");
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-sort") === state.sort));
    });
    onlyCommentary.checked = state.commentary;
    var shown = cards.filter(function (n) { return !n.hidden; });
    status.textContent = "Showing " + shown.length + " of " + cards.length +
      (cards.length === 1 ? " cluster" : " clusters");
    document.body.setAttribute("data-visible-clusters",
      shown.map(function (n) { return attr(n, "cluster"); }).join(" "));
  }
  function fromFragment() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") < 0 && hash !== "selftest") { return false; }  /* an anchor */
    var params = new URLSearchParams(hash);
    state.commentary = params.get("filter") === "commentary";
    state.sort = compare.hasOwnProperty(params.get("sort")) ? params.get("sort") : "order";
    state.q = (params.get("q") || "").trim().toLowerCase();
    find.value = state.q;
    return true;
  }
  function selftest() {
    /* Layout facts a headless browser can report through --dump-dom. */
    var b = document.body, wide = [];
    b.setAttribute("data-scroll-width", root.scrollWidth);
    b.setAttribute("data-client-width", root.clientWidth);
    b.setAttribute("data-inner-width", window.innerWidth);
    Array.prototype.forEach.call(document.querySelectorAll("body *"), function (n) {
      var r = n.getBoundingClientRect();
      if (r.width && r.right > root.clientWidth + 0.5 && wide.length < 5) {
        wide.push(n.tagName.toLowerCase() + "." + n.className);
      }
    });
    b.setAttribute("data-overflowing", wide.join(" "));
  }

  onlyCommentary.addEventListener("change", function () {
    state.commentary = onlyCommentary.checked; apply();
  });
  find.addEventListener("input", function () {
    state.q = find.value.trim().toLowerCase(); apply();
  });
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { state.sort = b.getAttribute("data-sort"); apply(); });
  });
  window.addEventListener("hashchange", function () { if (fromFragment()) { apply(); } });
  fromFragment();
  apply();
  if (/(^|[#&])selftest(&|=|$)/.test(location.hash)) { selftest(); }
})();
