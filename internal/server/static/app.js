// leakscope UI: keyboard shortcuts, target table filter and sort, chat
// translation toggle. Plain script, no build step, no inline handlers
// (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  // j/k move through results, Enter opens, / focuses the search box.
  var selected = -1;
  function results() { return Array.prototype.slice.call(document.querySelectorAll(".result, tr.target, .msg")); }
  function select(i) {
    var rs = results();
    if (rs.length === 0) { return; }
    i = Math.max(0, Math.min(rs.length - 1, i));
    rs.forEach(function (r) { r.classList.remove("selected"); });
    rs[i].classList.add("selected");
    rs[i].scrollIntoView({ block: "nearest" });
    selected = i;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "Escape" && typing(e)) { e.target.blur(); return; }
    if (typing(e)) { return; }
    var q = document.getElementById("q");
    if (e.key === "/" && q) { e.preventDefault(); q.focus(); q.select(); return; }
    if (e.key === "j") { select(selected + 1); return; }
    if (e.key === "k") { select(selected - 1); return; }
    if (e.key === "t") { toggleTranslations(); return; }
    if (e.key === "Enter" && selected >= 0) {
      var a = results()[selected].querySelector("a[href]");
      if (a) { window.location.href = a.getAttribute("href"); }
    }
  });

  function toggleTranslations() {
    document.body.classList.toggle("hide-tr");
    var b = document.getElementById("toggle-tr");
    if (b) { b.textContent = document.body.classList.contains("hide-tr") ? "Show translations" : "Hide translations"; }
  }
  var tb = document.getElementById("toggle-tr");
  if (tb) { tb.addEventListener("click", toggleTranslations); }

  // Target table: filter rows as you type.
  var filter = document.getElementById("target-filter");
  if (filter) {
    var apply = function () {
      var needle = filter.value.toLowerCase();
      document.querySelectorAll("#targets tbody tr").forEach(function (tr) {
        tr.hidden = needle !== "" && tr.textContent.toLowerCase().indexOf(needle) < 0;
      });
    };
    filter.addEventListener("input", apply);
    apply();
  }

  // Chat: jump to a message named in the fragment.
  if (location.hash.length > 1) {
    var m = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (m) { m.classList.add("selected"); m.scrollIntoView({ block: "center" }); }
  }
})();
