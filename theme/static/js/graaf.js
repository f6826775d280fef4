/* The interactive graph on /graaf/ (Cytoscape.js, vendored). Progressive enhancement: the page's
   text version lists every relation; this script only adds the picture. Text from factsheets is
   only ever set with textContent, never as HTML. */
(function () {
  "use strict";

  var app = document.getElementById("graaf-app");
  if (!app || typeof window.cytoscape !== "function" || !window.fetch) { return; }
  var root = app.getAttribute("data-root");
  var status = document.getElementById("graaf-status");

  function say(text) { status.textContent = text; }

  function dashPattern(dash) {
    return dash ? dash.split(" ").map(Number) : [1, 0];
  }

  function elementsFrom(data) {
    var types = data.graph.relation_types;
    var nodes = data.nodes.map(function (n) {
      return { group: "nodes", data: {
        id: n.id, label: n.label, short: n.short, type: n.type, kinds: n.kinds, situations: n.situations,
        status: n.status || "", url: n.url, colour: n.colour,
        size: Math.min(14 + 3 * n.degree, 46),             // capped: hubs stand out without swallowing the map
        font: n.degree >= 6 ? 13 : 10                       // hubs keep their label when zoomed out
      }, position: { x: n.x, y: n.y } };
    });
    var edges = data.edges.map(function (e, i) {
      var t = types[e.key];
      return { group: "edges", data: {
        id: "e" + i, source: e.source, target: e.target, relation: e.key, colour: t.colour,
        dash: dashPattern(t.dash), dashed: t.dash ? "dashed" : "solid",
        arrow: t.symmetric ? "none" : "triangle"
      } };
    });
    return nodes.concat(edges);
  }

  function styles() {
    return [
      { selector: "node", style: {
        "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
        "label": "data(short)", "font-size": "data(font)", "min-zoomed-font-size": 8,
        "text-valign": "bottom", "text-margin-y": 3, "color": "#1b1b1b",
        "text-outline-color": "#fff", "text-outline-width": 2, "border-width": 1.5, "border-color": "#fff"
      } },
      { selector: "node[type = 'organisatie']", style: { "shape": "round-rectangle" } },
      { selector: "node[status = 'afgeschaft'], node[status = 'uitdovend']",
        style: { "border-style": "dashed", "border-color": "#1b1b1b", "border-width": 2 } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "data(colour)", "line-style": "data(dashed)", "line-dash-pattern": "data(dash)",
        "target-arrow-shape": "data(arrow)", "target-arrow-color": "data(colour)", "arrow-scale": 0.8,
        "curve-style": "bezier", "opacity": 0.75
      } },
      { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0 } },
      { selector: "node.near", style: { "min-zoomed-font-size": 0, "z-index": 10 } },
      { selector: "edge.near", style: { "width": 2.5, "opacity": 1, "z-index": 10 } },
      { selector: "node.chosen", style: {
        "label": "data(label)", "border-color": "#c2410c", "border-width": 4, "font-weight": "bold",
        "min-zoomed-font-size": 0, "z-index": 20
      } },
      { selector: ".filtered, .outside", style: { "display": "none" } }
    ];
  }

  function checked(name) {
    return Array.prototype.filter.call(app.querySelectorAll("input[name='" + name + "']"), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
  }

  function nodePasses(node, kinds, situations) {
    if (node.data("type") === "organisatie") { return kinds.indexOf("organisatie") >= 0; }
    var own = node.data("kinds");
    var kindOk = own.length ? own.some(function (k) { return kinds.indexOf(k) >= 0; }) : kinds.indexOf("geen") >= 0;
    var where = node.data("situations");
    var situationOk = where.length ? where.some(function (s) { return situations.indexOf(s) >= 0; })
                                   : situations.indexOf("geen") >= 0;
    return kindOk && situationOk;
  }

  function start(data) {
    var many = data.nodes.length > 800;
    var cy = window.cytoscape({
      container: document.getElementById("graaf-canvas"),
      elements: elementsFrom(data),
      style: styles(),
      layout: { name: "preset" },            // positions come from the build: no layout stall in the browser
      minZoom: 0.05, maxZoom: 4,
      textureOnViewport: many, hideEdgesOnViewport: many, motionBlur: false, boxSelectionEnabled: false
    });
    window.kaartGraph = cy;
    var focused = null;
    var home = {};
    data.nodes.forEach(function (n) { home[n.id] = { x: n.x, y: n.y }; });

    function highlight(node) {
      var near = node.closedNeighborhood();
      cy.batch(function () {
        cy.elements().addClass("faded");
        near.removeClass("faded").addClass("near");
      });
    }
    function clearHighlight() {
      if (focused) { return; }
      cy.batch(function () { cy.elements().removeClass("faded near"); });
    }

    function applyFilters() {
      var kinds = checked("soort"), situations = checked("situatie"), relations = checked("relatie");
      cy.batch(function () {
        cy.nodes().forEach(function (n) { n.toggleClass("filtered", !nodePasses(n, kinds, situations)); });
        cy.edges().forEach(function (e) { e.toggleClass("filtered", relations.indexOf(e.data("relation")) < 0); });
      });
      var shown = cy.nodes().filter(function (n) { return !n.hasClass("filtered"); }).length;
      say(shown + " van " + cy.nodes().length + " fiches getoond.");
    }

    function focusOn(node) {
      focused = node;
      var near = node.closedNeighborhood();
      cy.batch(function () {
        cy.nodes().positions(function (n) { return home[n.id()]; });
        cy.elements().removeClass("chosen faded near").addClass("outside");
        near.removeClass("outside").addClass("near");
        node.addClass("chosen");
      });
      // The global positions crowd a neighbourhood: lay it out in rings around the chosen node.
      near.nodes().layout({
        name: "concentric", concentric: function (n) { return n.same(node) ? 2 : 1; },
        levelWidth: function () { return 1; }, minNodeSpacing: 30, animate: false, fit: true, padding: 50
      }).run();
      showDetails(node);
      document.getElementById("graaf-alles").hidden = false;
      say("Focus op " + node.data("label") + ": " + (near.nodes().length - 1) + " verbonden fiche(s).");
    }

    function showAll() {
      focused = null;
      cy.batch(function () {
        cy.elements().removeClass("outside chosen faded near");
        cy.nodes().positions(function (n) { return home[n.id()]; });
      });
      cy.fit(undefined, 30);
      document.getElementById("graaf-alles").hidden = true;
      document.getElementById("graaf-details").hidden = true;
      applyFilters();
    }

    function showDetails(node) {
      var box = document.getElementById("graaf-details");
      var title = document.getElementById("graaf-details-titel");
      var link = document.createElement("a");
      link.href = root + node.data("url");
      link.textContent = node.data("label");
      title.replaceChildren(link);
      var list = document.getElementById("graaf-details-lijst");
      var items = node.connectedEdges().map(function (edge) {
        var t = data.graph.relation_types[edge.data("relation")];
        var outgoing = edge.source().id() === node.id();
        var other = outgoing ? edge.target() : edge.source();
        var li = document.createElement("li");
        li.appendChild(document.createTextNode((outgoing || t.symmetric ? t.label : t.inverse) + ": "));
        var a = document.createElement("a");
        a.href = root + other.data("url");
        a.textContent = other.data("label");
        li.appendChild(a);
        return li;
      });
      list.replaceChildren.apply(list, items);
      box.hidden = false;
    }

    cy.on("mouseover", "node", function (evt) { if (!focused) { highlight(evt.target); } });
    cy.on("mouseout", "node", clearHighlight);
    cy.on("tap", "node", function (evt) { window.location.href = root + evt.target.data("url"); });

    setupSearch(cy, focusOn);
    setupTouch();
    app.querySelectorAll("fieldset input").forEach(function (box) { box.addEventListener("change", applyFilters); });
    document.getElementById("graaf-alles").addEventListener("click", showAll);
    document.getElementById("graaf-passend").addEventListener("click", function () { cy.fit(cy.elements(":visible"), 30); });

    cy.fit(undefined, 30);
    applyFilters();
    var wanted = new URLSearchParams(window.location.search).get("focus");
    if (wanted && cy.getElementById(wanted).length) { focusOn(cy.getElementById(wanted)); }
    app.setAttribute("data-ready", "true");
  }

  // A touch screen: the graph stays still (and the page scrolls past it) until the reader taps it awake.
  function setupTouch() {
    if (!window.matchMedia("(pointer: coarse)").matches) { return; }
    var wake = document.getElementById("graaf-activeer");
    var done = document.getElementById("graaf-klaar");
    wake.hidden = false;
    wake.addEventListener("click", function () {
      wake.hidden = true;
      done.hidden = false;
      done.focus();
    });
    done.addEventListener("click", function () {
      done.hidden = true;
      wake.hidden = false;
      wake.focus();
    });
  }

  function normalise(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setupSearch(cy, focusOn) {
    var input = document.getElementById("graaf-zoek");
    var results = document.getElementById("graaf-resultaten");
    input.addEventListener("input", function () {
      var query = normalise(input.value.trim());
      if (!query) { results.replaceChildren(); return; }
      var found = cy.nodes().filter(function (n) {
        return normalise(n.data("label")).indexOf(query) >= 0 || normalise(n.id()).indexOf(query) >= 0;
      }).sort(function (a, b) { return a.data("label").localeCompare(b.data("label"), "nl"); }).slice(0, 12);
      var items = found.map(function (node) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = node.data("label");
        button.addEventListener("click", function () { focusOn(node); });
        li.appendChild(button);
        return li;
      });
      if (!items.length) {
        var none = document.createElement("li");
        none.textContent = "Geen fiche gevonden.";
        items = [none];
      }
      results.replaceChildren.apply(results, items);
    });
    input.form.addEventListener("submit", function (evt) {
      evt.preventDefault();
      var first = results.querySelector("button");
      if (first) { first.click(); }
    });
  }

  app.hidden = false;
  say("De graaf wordt geladen…");
  fetch(app.getAttribute("data-json"))
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(start)
    .catch(function () { say("De interactieve graaf kon niet laden; de tekstversie hieronder bevat alle relaties."); });
})();
