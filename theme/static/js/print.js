/* Print helpers. For paper, every link to another site gets its address in data-print-url,
   shortened where long, which print.css prints after the link; where an address would only
   clutter (links within the site outside free text, the matrix, tags, navigation) the
   attribute stays empty. Also wires the print buttons.
   Only DOM attributes and textContent are written: no markup from the page is re-parsed. */
(function () {
  "use strict";
  var MAX = 48;
  var SKIP = ".matrix, .tags, .site-header, .site-footer, .kicker, .handout-toc, [data-print-url-skip]";
  var script = document.currentScript;
  var publicUrl = ((script && script.getAttribute("data-public-url")) || "").replace(/\/+$/, "");
  var siteRoot = script ? new URL("../../", script.src).href : location.origin + "/";

  function bare(address) {
    return address.trim().replace(/^[a-z]+:(\/\/)?/i, "").replace(/^www\./i, "").replace(/\/$/, "");
  }

  function shorten(address) {
    var text = address.trim().replace(/^[a-z]+:(\/\/)?/i, "").replace(/^www\./i, "").replace(/^([^/]+)\/$/, "$1");
    if (text.length <= MAX) return text;
    var parts = text.split("/");
    var host = parts[0];
    var last = parts[parts.length - 1] || parts[parts.length - 2] || "";
    if (last.length > 24) last = last.slice(0, 23) + "\u2026";
    var short = parts.length > 2 ? host + "/\u2026/" + last : host + "/" + last;
    return short.length <= MAX + 8 ? short : host + "/\u2026";
  }

  function printedAddress(link) {
    var href = link.getAttribute("href") || "";
    if (!href || href.charAt(0) === "#" || /^javascript:/i.test(href)) return "";
    if (link.closest(SKIP)) return "";
    var url = new URL(href, document.baseURI);
    var address;
    if (url.href.indexOf(siteRoot) === 0) {
      // A link within the site names a page the reader finds by that name; only in free
      // text (.prose) is the target not obvious from the link, so only there its path prints.
      if (!link.closest(".prose")) return "";
      var path = url.href.slice(siteRoot.length).replace(/index\.html$/, "");
      address = publicUrl ? publicUrl + "/" + path : "/" + path;
    } else {
      address = url.protocol === "mailto:" ? url.pathname : url.href;
    }
    if (bare(link.textContent) === bare(address)) return "";  // the link already shows it
    return shorten(address);
  }

  document.querySelectorAll("main a[href]").forEach(function (link) {
    link.setAttribute("data-print-url", printedAddress(link));
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
