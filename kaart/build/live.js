/* Only `kaart serve` adds this script (kaart/build/live.py): the tab reloads itself when its page
   changed in a new build (or was made: serve's "niet gevonden" page carries it too), and shows the
   errors of a build that failed, or the warnings of one that went on. */
(function () {
  "use strict";
  var BOX_ID = "kaart-live-fouten";
  var WARNINGS_ID = "kaart-live-waarschuwingen";
  var here = location.pathname.replace(/index\.html$/, "");
  // /initiatief/x (no slash, no file suffix) is the page a build writes as /initiatief/x/.
  if (!/\/$/.test(here) && !/\.[^\/]*$/.test(here)) here += "/";
  var version = null;

  var KINDS = {};
  KINDS[BOX_ID] = { role: "alert", colour: "#b42318",
    title: "De site kon niet opnieuw gebouwd worden; je ziet de vorige versie." };
  KINDS[WARNINGS_ID] = { role: "status", colour: "#8a4b00",
    title: "De site is gebouwd, met waarschuwingen: kijk na of dit is wat je bedoelde." };

  // The warnings the reader hid stay hidden in this tab until they change (a reload included).
  var HIDDEN_KEY = "kaart-live-verborgen";

  function hiddenWarnings() {
    try { return sessionStorage.getItem(HIDDEN_KEY); } catch (error) { return null; }
  }

  function hideWarnings(text) {
    try { sessionStorage.setItem(HIDDEN_KEY, text); } catch (error) { /* private mode: hidden until a reload */ }
  }

  function removeBox(id) {
    var box = document.getElementById(id);
    if (box) box.remove();
  }

  // A box at the bottom of the page with the build's messages, as the terminal prints them.
  function showBox(id, lines) {
    var kind = KINDS[id];
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("section");
      box.id = id;
      box.setAttribute("role", kind.role);
      box.setAttribute("style", "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:1000;" +
        "background:#fff;color:#1b1f24;border-top:4px solid " + kind.colour + ";padding:0.8rem 1rem;" +
        "font:15px/1.4 sans-serif;box-shadow:0 -2px 12px rgba(0,0,0,.25)");
      document.body.appendChild(box);
    }
    box.replaceChildren();
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Verbergen";
    close.setAttribute("style", "float:right;margin-left:1rem;font:inherit;padding:.2rem .6rem;cursor:pointer");
    close.addEventListener("click", function () {
      if (id === WARNINGS_ID) hideWarnings(lines.join("\n"));
      box.remove();
    });
    var title = document.createElement("h2");
    title.setAttribute("style", "margin:0 0 .4rem;font-size:1.1rem;color:" + kind.colour);
    title.textContent = kind.title;
    var list = document.createElement("pre");
    list.setAttribute("style", "white-space:pre-wrap;margin:0;font:14px/1.4 monospace");
    list.textContent = lines.join("\n");
    box.appendChild(close);
    box.appendChild(title);
    box.appendChild(list);
  }

  function pathOf(url) {
    return new URL(url, location.href).pathname;
  }

  // What this page uses of the changed files: its stylesheets, which are swapped in place (the
  // scroll position stays), and anything else it loaded (a script, its data, an image).
  function usedOf(changed) {
    var wanted = {};
    changed.forEach(function (path) { wanted[path] = true; });
    var sheets = Array.prototype.filter.call(document.querySelectorAll('link[rel="stylesheet"][href]'),
      function (link) { return wanted[pathOf(link.href)]; });
    var others = performance.getEntriesByType("resource").some(function (entry) {
      return wanted[pathOf(entry.name)] && entry.initiatorType !== "link";
    });
    return { sheets: sheets, others: others };
  }

  function swapStylesheet(link) {
    var url = new URL(link.href, location.href);
    url.searchParams.set("kaart-live", String(version));
    var fresh = link.cloneNode();
    fresh.href = url.href;
    fresh.onload = function () { link.remove(); };  // no moment without the old rules
    link.after(fresh);
  }

  var source = new EventSource("/__kaart/gebeurtenissen");
  source.onmessage = function (event) {
    var message = JSON.parse(event.data);
    var first = version === null;
    var showing = !!document.getElementById(BOX_ID);
    if (!first && message.versie === version) return;
    version = message.versie;
    if (message.fouten.length) {
      removeBox(WARNINGS_ID);
      showBox(BOX_ID, message.fouten);
      return;
    }
    var warnings = message.waarschuwingen || [];
    if (warnings.length && warnings.join("\n") !== hiddenWarnings()) {
      showBox(WARNINGS_ID, warnings);
    } else {
      removeBox(WARNINGS_ID);
    }
    if (first) return;
    if (showing || message.paginas.indexOf(here) >= 0) {
      location.reload();
      return;
    }
    var used = usedOf(message.bestanden || []);
    if (used.others) {
      location.reload();
    } else {
      used.sheets.forEach(swapStylesheet);
    }
  };
})();
