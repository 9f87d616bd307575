// Injected by tests/browser/report.sh into a copy of a page, first thing in <head>.
// It records what the page does wrong (script errors, resources that fail to load or
// leave the file, console.error/warn calls, CSP violations) and, once the page has
// loaded, the layout the checks need: the page's size, each chart's box and each
// table's width against its container. It writes all of it as JSON into a hidden pre
// element with the id buildout-probe, last in the body, which `chromium --dump-dom` then
// prints. Hidden, so the screenshot taken of the same copy has the very layout the
// boxes describe.
(function () {
  "use strict";
  var problems = [];
  function note(kind, text) { problems.push({ kind: kind, text: String(text) }); }

  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window && target.tagName) {
      note("resource", target.tagName.toLowerCase() + " failed to load: " +
        (target.currentSrc || target.src || target.href || "(no url)"));
    } else {
      note("script", event.message + " at " + event.filename + ":" + event.lineno);
    }
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    note("script", "unhandled rejection: " + event.reason);
  });
  document.addEventListener("securitypolicyviolation", function (event) {
    note("csp", event.violatedDirective + " blocked " + event.blockedURI);
  });
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      note("console." + level, Array.prototype.join.call(arguments, " "));
      return original.apply(console, arguments);
    };
  });

  function box(element) {
    var r = element.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  }
  function label(element, index) {
    var figure = element.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    var title = element.querySelector && element.querySelector("title");
    var text = (caption && caption.textContent) || (title && title.textContent) ||
      element.getAttribute("aria-label") || element.getAttribute("alt") || element.id;
    return "#" + (index + 1) + (text ? " " + text.trim().replace(/\s+/g, " ").slice(0, 80) : "");
  }
  function contentRight(element) {
    var style = getComputedStyle(element);
    var r = element.getBoundingClientRect();
    return r.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  }

  window.addEventListener("load", function () {
    var root = document.documentElement;
    // Charts: outermost inline SVGs and images (a chart drawn inside another SVG is part of it).
    var charts = Array.prototype.filter.call(document.querySelectorAll("svg, img"), function (el) {
      return !(el.parentElement && el.parentElement.closest("svg"));
    }).map(function (el, i) {
      return { label: label(el, i), box: box(el) };
    });
    var tables = Array.prototype.map.call(document.querySelectorAll("table"), function (table, i) {
      var container = table.parentElement;
      var tableRight = table.getBoundingClientRect().right;
      var head = table.caption || table.querySelector("th");
      return {
        label: "#" + (i + 1) + (head ? " " + head.textContent.trim().replace(/\s+/g, " ").slice(0, 60) : ""),
        scroll_width: table.scrollWidth,
        client_width: table.clientWidth,
        overflow_px: Math.max(tableRight - contentRight(container), tableRight - root.clientWidth,
          table.scrollWidth - table.clientWidth)
      };
    });
    var resources = performance.getEntriesByType("resource").map(function (entry) { return entry.name; })
      .filter(function (url) { return url.indexOf("data:") !== 0; });
    var out = document.createElement("pre");
    out.id = "buildout-probe";
    out.style.display = "none";
    out.textContent = JSON.stringify({
      problems: problems,
      resources: resources,
      page: { scroll_width: root.scrollWidth, client_width: root.clientWidth, height: root.scrollHeight },
      charts: charts,
      tables: tables
    });
    document.body.appendChild(out);
  });
})();
