/* kaart compare-any: tick two to four initiatives anywhere on the site and compare them at
 * vergelijken/?ids=a,b,c, a table built here from vergelijken/fiches.json.
 *
 * Hook for other features (e.g. search results): any
 *   <input type="checkbox" data-compare-id="ID" data-compare-title="Title">
 * on a page that loads this script joins the selection, also when it is added later.
 * An element with `data-compare-pick` and `hidden` is shown once this script runs.
 *
 * Text from the data only ever reaches the page through textContent and attributes.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var SITE = (script && script.getAttribute("data-site")) || ".";
  var STORE = "kaart-vergelijking";
  var MAX = 4;
  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var BOX = 'input[type="checkbox"][data-compare-id]';

  var selection = readSelection();
  var tray = null;
  var status = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function readSelection() {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(STORE) || "[]");
      return Array.isArray(stored) ? stored.filter(isItem).slice(0, MAX) : [];
    } catch (error) {
      return [];
    }
  }

  function isItem(item) {
    return item && typeof item.id === "string" && ID.test(item.id) && typeof item.title === "string";
  }

  function saveSelection() {
    try {
      window.sessionStorage.setItem(STORE, JSON.stringify(selection));
    } catch (error) { /* private mode: the selection lives as long as the page */ }
  }

  function isSelected(id) {
    return selection.some(function (item) { return item.id === id; });
  }

  function compareUrl(ids) {
    return SITE + "/vergelijken/?ids=" + ids.join(",");
  }

  function announce(message) {
    if (!status) return;
    // Clear first so that the same sentence twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function countText() {
    return " (" + selection.length + " van " + MAX + ")";
  }

  /* --- the selection ------------------------------------------------------------------- */

  function add(id, title) {
    if (isSelected(id)) return true;
    if (selection.length >= MAX) {
      announce("Je kan hoogstens " + MAX + " fiches tegelijk vergelijken. Verwijder er eerst een.");
      return false;
    }
    selection.push({ id: id, title: title });
    changed(title + " staat in de vergelijking" + countText() + ".");
    return true;
  }

  function remove(id) {
    var item = selection.filter(function (entry) { return entry.id === id; })[0];
    selection = selection.filter(function (entry) { return entry.id !== id; });
    if (item) changed(item.title + " is uit de vergelijking" + countText() + ".");
  }

  function clear() {
    selection = [];
    changed("De vergelijking is leeg.");
  }

  function changed(message) {
    saveSelection();
    syncBoxes();
    renderTray();
    announce(message);
  }

  function syncBoxes() {
    document.querySelectorAll(BOX).forEach(function (box) {
      box.checked = isSelected(box.getAttribute("data-compare-id"));
    });
    document.querySelectorAll("[data-compare-pick][hidden]").forEach(function (node) {
      node.hidden = false;
    });
  }

  function titleOf(box) {
    var title = box.getAttribute("data-compare-title");
    if (title) return title;
    var label = box.closest("label");
    return (label ? label.textContent : box.getAttribute("data-compare-id")).trim();
  }

  function onChange(event) {
    var box = event.target;
    if (!box.matches || !box.matches(BOX)) return;
    var id = box.getAttribute("data-compare-id");
    if (!ID.test(id)) return;
    if (box.checked) {
      if (!add(id, titleOf(box))) box.checked = false;
    } else {
      remove(id);
    }
  }

  /* --- the tray: what is picked, and the way to the table --------------------------------- */

  function ensureTray() {
    if (tray) return tray;
    tray = el("section", { "class": "compare-tray no-print", "aria-labelledby": "compare-tray-title", hidden: "" });
    document.body.appendChild(tray);
    return tray;
  }

  function renderTray(focusAfter) {
    if (!tray) return;
    tray.textContent = "";
    tray.hidden = selection.length === 0;
    document.body.classList.toggle("has-compare-tray", !tray.hidden);
    if (tray.hidden) return;
    var list = el("ul", { "aria-label": "Gekozen fiches" });
    selection.forEach(function (item, index) {
      var button = el("button", { type: "button", "aria-label": "Verwijder " + item.title + " uit de vergelijking" }, ["×"]);
      button.addEventListener("click", function () {
        remove(item.id);
        focusInTray(index);
      });
      list.appendChild(el("li", {}, [item.title, button]));
    });
    var actions;
    if (selection.length >= 2) {
      actions = el("a", { "class": "button compare-go", href: compareUrl(selection.map(function (i) { return i.id; })) },
        ["Vergelijk " + selection.length + " fiches"]);
    } else {
      actions = el("p", { "class": "compare-hint" }, ["Kies nog minstens één fiche."]);
    }
    var wipe = el("button", { type: "button", "class": "compare-clear" }, ["Wis alles"]);
    wipe.addEventListener("click", function () {
      clear();
      var first = document.querySelector(BOX);
      if (first) first.focus();
    });
    tray.appendChild(el("div", { "class": "compare-tray-inner" }, [
      el("h2", { id: "compare-tray-title" }, ["Vergelijking" + countText()]), list, actions, wipe,
    ]));
  }

  function focusInTray(index) {
    // The button that had focus is gone: move to its neighbour, never to the page top.
    var buttons = tray.querySelectorAll("li button");
    var target = buttons[Math.min(index, buttons.length - 1)] || tray.querySelector(".compare-clear");
    if (target) target.focus();
    else {
      var first = document.querySelector(BOX);
      if (first) first.focus();
    }
  }

  /* --- the table, built from vergelijken/fiches.json ---------------------------------------- */

  function rowState(cells) {
    var known = cells.filter(function (v) { return v; });
    var groups = {};
    known.forEach(function (v) { groups[v.gelijk] = true; });
    if (Object.keys(groups).length > 1) return "verschilt";
    if (known.length === cells.length && cells.length >= 2) return "gelijk";
    return "onvolledig";
  }

  function stateBadge(state) {
    var sign = { verschilt: "≠ ", gelijk: "= " }[state];
    if (!sign) return null;
    return el("span", { "class": "row-state row-state-" + state }, [el("span", { "aria-hidden": "true" }, [sign]), state]);
  }

  function statusBadge(data, sheet) {
    if (sheet.status === "actief") return null;
    return el("span", { "class": "badge badge-" + sheet.status }, [data.statussen[sheet.status] || sheet.status]);
  }

  function valueCell(sheet, value, number) {
    return el("td", { "data-id": sheet.id }, [
      el("span", { "class": "cell-label" }, [sheet.titel]),
      value.waarde,
      el("sup", { "class": "fn" }, [el("a", { href: "#eigen-bron-" + number }, [
        el("span", { "class": "visually-hidden" }, ["bron "]), String(number)])]),
    ]);
  }

  function missingCell(sheet, label, editBase) {
    return el("td", { "data-id": sheet.id, "class": "missing" }, [
      el("span", { "class": "cell-label" }, [sheet.titel]),
      el("span", { "class": "todo" }, ["niet gekend"]), " ",
      el("a", { "class": "improve no-print", href: editBase + sheet.id }, ["vul de fiche aan",
        el("span", { "class": "visually-hidden" }, [" (" + label.toLowerCase() + " van " + sheet.titel + ")"])]),
    ]);
  }

  function buildTable(data, sheets, editBase) {
    var numbers = [];  // source indexes in order of first use: footnote n is numbers[n-1]
    var head = el("tr", {}, [el("th", { scope: "col", "class": "compare-corner" }, ["Kenmerk"])]);
    sheets.forEach(function (sheet) {
      var badge = statusBadge(data, sheet);
      var link = el("a", { href: SITE + "/" + sheet.url }, [sheet.titel]);
      head.appendChild(el("th", { scope: "col", "data-id": sheet.id }, badge ? [link, badge] : [link]));
    });
    var body = el("tbody");
    data.kenmerken.forEach(function (attribute) {
      var values = sheets.map(function (sheet) { return sheet.kenmerken[attribute.key] || null; });
      var state = rowState(values);
      var badge = stateBadge(state);
      var row = el("tr", { "class": "row-" + state, "data-kenmerk": attribute.key },
        [el("th", { scope: "row" }, badge ? [attribute.label + " ", badge] : [attribute.label])]);
      values.forEach(function (value, i) {
        if (!value) {
          row.appendChild(missingCell(sheets[i], attribute.label, editBase));
          return;
        }
        if (numbers.indexOf(value.bron) < 0) numbers.push(value.bron);
        row.appendChild(valueCell(sheets[i], value, numbers.indexOf(value.bron) + 1));
      });
      body.appendChild(row);
    });
    var names = sheets.map(function (s) { return s.titel; }).join(", ");
    var table = el("table", { "class": "compare", "data-columns": String(sheets.length) }, [
      el("caption", { id: "eigen-bijschrift" }, ["Vergelijking: " + names]), el("thead", {}, [head]), body,
    ]);
    var scroller = el("div", { "class": "compare-scroll", role: "region", "aria-labelledby": "eigen-bijschrift", tabindex: "0" }, [table]);
    return [scroller, sourceList(data, numbers)];
  }

  function sourceList(data, numbers) {
    var list = el("ol");
    numbers.forEach(function (index, i) {
      var source = data.bronnen[index];
      var item = el("li", { id: "eigen-bron-" + (i + 1) });
      item.appendChild(source.url ? el("a", { href: source.url }, [source.label]) : document.createTextNode(source.label));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", { "class": "source-date" }, ["(" + source.datum + ")"]));
      list.appendChild(item);
    });
    return el("section", { "class": "compare-sources", "aria-labelledby": "eigen-bronnen" }, [
      el("h3", { id: "eigen-bronnen" }, ["Bronnen"]), list,
    ]);
  }

  function requestedIds() {
    var raw = new URLSearchParams(window.location.search).get("ids");
    if (!raw) return [];
    return raw.split(",").map(function (id) { return id.trim().toLowerCase(); }).filter(Boolean);
  }

  function resolve(data, wanted) {
    var byId = {};
    data.fiches.forEach(function (sheet) { byId[sheet.id] = sheet; });
    var found = [];
    var unknown = [];
    wanted.forEach(function (id) {
      var sheet = byId[id] || byId[data.afkortingen[id]];
      if (!sheet) unknown.push(id);
      else if (found.indexOf(sheet) < 0) found.push(sheet);
    });
    return { sheets: found.slice(0, data.max), unknown: unknown, dropped: Math.max(0, found.length - data.max) };
  }

  function notices(result) {
    var lines = [];
    if (result.unknown.length) lines.push("Onbekende fiche overgeslagen: " + result.unknown.join(", ") + ".");
    if (result.dropped) lines.push("Je kan hoogstens " + MAX + " fiches vergelijken; de laatste " + result.dropped + " zijn weggelaten.");
    if (result.sheets.length < 2) lines.push("Kies minstens twee initiatieven om te vergelijken.");
    return lines.join(" ");
  }

  function showComparison(app, data, wanted) {
    var result = resolve(data, wanted);
    var section = app.querySelector(".compare-own");
    var notice = section.querySelector(".compare-notice");
    var body = section.querySelector(".compare-own-body");
    var holder = section.querySelector(".compare-own-table");
    var message = notices(result);
    notice.textContent = message;
    notice.hidden = !message;
    holder.textContent = "";
    body.hidden = result.sheets.length < 2;
    if (!body.hidden) {
      buildTable(data, result.sheets, app.getAttribute("data-edit-base") || "").forEach(function (node) { holder.appendChild(node); });
      var names = result.sheets.map(function (s) { return s.titel; });
      section.querySelector("h2").textContent = "Jouw vergelijking: " + names.join(", ");
      document.title = "Vergelijking: " + names.join(", ") + " · " + document.title;
    }
    section.hidden = false;
    selection = result.sheets.map(function (s) { return { id: s.id, title: s.titel }; });
    saveSelection();
    syncBoxes();
    renderTray();
    announce(body.hidden ? message : "Vergelijking van " + result.sheets.length + " fiches getoond.");
  }

  function startApp(app) {
    var wanted = requestedIds();
    if (!wanted.length) return;
    window.fetch(app.getAttribute("data-src"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { showComparison(app, data, wanted); })
      .catch(function () {
        var section = app.querySelector(".compare-own");
        var notice = section.querySelector(".compare-notice");
        notice.textContent = "De gegevens voor de vergelijking konden niet geladen worden. Probeer de pagina opnieuw te laden.";
        notice.hidden = false;
        section.querySelector(".compare-own-body").hidden = true;
        section.hidden = false;
      });
  }

  /* --- start ------------------------------------------------------------------------------ */

  function hasBoxes() {
    return document.querySelector(BOX) !== null;
  }

  function bringsBoxes(mutation) {
    return Array.prototype.some.call(mutation.addedNodes, function (node) {
      return node.nodeType === 1 && (node.matches(BOX) || node.querySelector(BOX) !== null);
    });
  }

  function start() {
    status = el("p", { "class": "visually-hidden", role: "status", "aria-live": "polite", "data-compare-status": "" });
    document.body.appendChild(status);
    var app = document.getElementById("compare-app");
    if (hasBoxes() || app) {
      ensureTray();
      renderTray();
    }
    syncBoxes();
    document.addEventListener("change", onChange);
    window.addEventListener("storage", function (event) {
      if (event.key !== STORE) return;
      selection = readSelection();
      syncBoxes();
      renderTray();
    });
    // Checkboxes that arrive later (search results) get their state and bring the tray.
    new MutationObserver(function (mutations) {
      if (!mutations.some(bringsBoxes)) return;
      var fresh = !tray;
      ensureTray();
      syncBoxes();
      if (fresh) renderTray();
    }).observe(document.body, { childList: true, subtree: true });
    if (app) startApp(app);
  }

  start();
})();
