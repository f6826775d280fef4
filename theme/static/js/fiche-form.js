/* The factsheet form (/bijdragen/nieuw/). Every field, allowed value, help text and example comes
   from the JSON Schema the build hands over (kaart/features/contribute.py); the entry is checked
   against that schema with Ajv, and written as YAML by fiche-yaml.js exactly as `kaart fmt` would.
   With ?fiche=<id> the form opens that factsheet's data for editing. */
(function () {
  "use strict";

  const app = document.getElementById("fiche-app");
  if (!app) return;
  const Y = window.kaartFicheYaml;

  // How one item of a list is called in the form ("Voeg een bron toe"); the schema names lists only.
  const ITEM_NAMES = {
    bronnen: "bron", links: "link", relaties: "relatie", mijlpalen: "mijlpaal", cijfers: "cijfer",
    trefwoorden: "trefwoord", aanbieders: "aanbieder", cellen: "vakje", contact: "contactpunt",
    praktijk: "praktijkvoorbeeld", doelgroepen: "doelgroep",
  };
  const DATE_DEFS = ["datum", "dag", "laatst_nagekeken"];
  const MAX_LINK_LENGTH = 8000;

  let config = null;
  let schema = null;
  let validate = null;
  let root = null;
  const state = { mode: "new", type: "initiatief", path: null, checked: false };
  let uid = 0;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([key, value]) {
      if (value === undefined || value === null || value === false) return;
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function nextId(prefix) {
    uid += 1;
    return "veld-" + prefix.replace(/[^a-z0-9]+/gi, "-") + "-" + uid;
  }

  function humanise(key) {
    const text = String(key).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // A $ref resolved, remembering the name of the definition it came from (url, datum, bron …).
  function resolveNamed(node) {
    let name = null;
    while (node && node.$ref) {
      name = node.$ref.split("/").pop();
      const rest = Object.assign({}, node);
      delete rest.$ref;
      node = Object.assign({}, schema.$defs[name], rest);
    }
    return { node: node || {}, name: name };
  }

  function choicesOf(node) {
    if (node.enum) return node.enum.map(function (v) { return { value: v, label: String(v) }; });
    if (node.oneOf && node.oneOf.every(function (b) { return b.const !== undefined; })) {
      return node.oneOf.map(function (b) { return { value: b.const, label: b.title || String(b.const) }; });
    }
    return null;
  }

  function helpText(node) {
    let text = node.description || "";
    const example = choicesOf(node) ? undefined : (node.examples || [])[0];
    if (example !== undefined && (typeof example === "string" || typeof example === "number")) {
      text += (text ? " " : "") + "Bijvoorbeeld: " + example + (/[.!?]$/.test(String(example)) ? "" : ".");
    }
    return text;
  }

  function isEmpty(value) {
    return value === undefined || (typeof value === "string" && value.trim() === "");
  }

  // -- the widget for one schema node -------------------------------------------------------------
  // Every widget: { el, read(path, registry) -> value or undefined, focus(), setError(text) }.

  function widgetFor(spec) {
    const { node, name } = resolveNamed(spec.node);
    const s = Object.assign({}, spec, { node: node, defName: name });
    if (node.const !== undefined) return constWidget(s);
    if (choicesOf(node)) return choiceWidget(s);
    if (node.type === "boolean") return booleanWidget(s);
    if (node.type === "number" || node.type === "integer") return textWidget(s, "number");
    if (node.type === "string") return textWidget(s, "text");
    if (node.type === "array") {
      const items = resolveNamed(node.items).node;
      return choicesOf(items) ? choiceListWidget(s, items) : listWidget(s);
    }
    if (node.oneOf) return alternativesWidget(s);
    return objectWidget(s);
  }

  function fieldShell(s, control, id) {
    const help = helpText(s.node);
    const helpId = help ? id + "-uitleg" : null;
    const errorId = id + "-fout";
    const label = el("label", { for: id }, [document.createTextNode(s.label)]);
    if (s.required && !s.inList) label.appendChild(el("span", { class: "required", text: " (verplicht)" }));
    const error = el("p", { class: "field-error", id: errorId, hidden: true });
    control.setAttribute("aria-describedby", helpId || "");
    if (!helpId) control.removeAttribute("aria-describedby");
    const box = el("div", { class: "field" }, [label, help ? el("p", { class: "help", id: helpId, text: help }) : null,
      control, error]);
    return {
      box: box,
      setError: function (text) {
        error.textContent = text || "";
        error.hidden = !text;
        control.toggleAttribute("aria-invalid", !!text);
        if (text) control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", [helpId, text ? errorId : null].filter(Boolean).join(" "));
        if (!control.getAttribute("aria-describedby")) control.removeAttribute("aria-describedby");
        box.classList.toggle("has-error", !!text);
      },
    };
  }

  function constWidget(s) {
    return { el: null, read: function (path, reg) { reg[path] = this; return s.node.const; }, focus: function () {},
      setError: function () {}, label: s.label };
  }

  function inputType(s) {
    if (s.defName === "url") return "url";
    if (s.key === "email") return "email";
    if (s.key === "telefoon") return "tel";
    if (s.defName === "laatst_nagekeken" || s.defName === "dag") return "date";
    return "text";
  }

  function textWidget(s, kind) {
    const id = nextId(s.key);
    const long = kind === "text" && inputType(s) === "text" && (s.node.maxLength || 0) > 300;
    const control = long ? el("textarea", { id: id, rows: s.node.maxLength > 1000 ? 14 : 4, spellcheck: "true" })
      : el("input", { id: id, type: kind === "number" ? "text" : inputType(s),
        inputmode: kind === "number" ? "decimal" : null, autocomplete: "off" });
    if (s.value !== undefined) control.value = String(s.value);
    const shell = fieldShell(s, control, id);
    const widget = {
      el: shell.box, control: control, label: s.label, defName: s.defName, key: s.key, setError: shell.setError,
      focus: function () { control.focus(); },
      read: function (path, reg) {
        reg[path] = widget;
        if (isEmpty(control.value)) return undefined;
        // The YAML file quotes a date itself; quotes typed in the form are not part of it.
        if (DATE_DEFS.indexOf(s.defName) >= 0) return control.value.trim().replace(/^["'“”‘’]+|["'“”‘’]+$/g, "");
        if (kind !== "number") return control.value;
        const number = Number(control.value.trim().replace(",", "."));
        return Number.isFinite(number) ? number : control.value;
      },
    };
    return widget;
  }

  function choiceWidget(s) {
    const id = nextId(s.key);
    const control = el("select", { id: id }, [el("option", { value: "", text: "— kies —" })]);
    choicesOf(s.node).forEach(function (choice) {
      control.appendChild(el("option", { value: String(choice.value), text: choice.label }));
    });
    if (s.value !== undefined) control.value = String(s.value);
    const shell = fieldShell(s, control, id);
    const widget = {
      el: shell.box, control: control, label: s.label, kind: "choice", setError: shell.setError, focus: function () { control.focus(); },
      read: function (path, reg) { reg[path] = widget; return control.value === "" ? undefined : control.value; },
    };
    return widget;
  }

  // An id of another factsheet (aanbieders, relaties → doel): chosen from the sheets that exist.
  function idWidget(s, options) {
    const id = nextId(s.key);
    const control = el("select", { id: id }, [el("option", { value: "", text: "— kies —" })]);
    options.forEach(function ([value, label]) { control.appendChild(el("option", { value: value, text: label + " (" + value + ")" })); });
    if (s.value !== undefined) control.value = s.value;
    const shell = fieldShell(s, control, id);
    const widget = {
      el: shell.box, control: control, label: s.label, kind: "choice", setError: shell.setError, focus: function () { control.focus(); },
      read: function (path, reg) { reg[path] = widget; return control.value === "" ? undefined : control.value; },
    };
    return widget;
  }

  function booleanWidget(s) {
    const id = nextId(s.key);
    const control = el("select", { id: id }, [el("option", { value: "", text: "— niet ingevuld —" }),
      el("option", { value: "true", text: "ja" }), el("option", { value: "false", text: "nee" })]);
    if (s.value !== undefined) control.value = String(s.value);
    const shell = fieldShell(s, control, id);
    const widget = {
      el: shell.box, control: control, label: s.label, kind: "choice", setError: shell.setError, focus: function () { control.focus(); },
      read: function (path, reg) { reg[path] = widget; return control.value === "" ? undefined : control.value === "true"; },
    };
    return widget;
  }

  function groupShell(s, cls) {
    const help = helpText(s.node);
    const legend = el("legend", {}, [document.createTextNode(s.label)]);
    if (s.required && !s.inList) legend.appendChild(el("span", { class: "required", text: " (verplicht)" }));
    const error = el("p", { class: "field-error", hidden: true, tabindex: "-1" });
    const box = el("fieldset", { class: cls }, [legend, help ? el("p", { class: "help", text: help }) : null, error]);
    return {
      box: box, error: error,
      setError: function (text) { error.textContent = text || ""; error.hidden = !text; box.classList.toggle("has-error", !!text); },
    };
  }

  function choiceListWidget(s, items) {
    const shell = groupShell(s, "choice-list");
    const list = el("ul", {});
    const initial = Array.isArray(s.value) ? s.value : [];
    const boxes = choicesOf(items).map(function (choice) {
      const box = el("input", { type: "checkbox", value: String(choice.value), id: nextId(s.key) });
      box.checked = initial.indexOf(choice.value) >= 0;
      list.appendChild(el("li", {}, [box, el("label", { for: box.id, text: " " + choice.label })]));
      return box;
    });
    shell.box.appendChild(list);
    const widget = {
      el: shell.box, label: s.label, setError: shell.setError, focus: function () { boxes[0].focus(); },
      read: function (path, reg) {
        reg[path] = widget;
        // Keep the order the file had; newly ticked values follow in the schema's order.
        const rank = function (v, i) { return initial.indexOf(v) >= 0 ? initial.indexOf(v) : initial.length + i; };
        const ticked = boxes.map(function (b, i) { return { v: b.value, r: rank(b.value, i) }; })
          .filter(function (x, i) { return boxes[i].checked; }).sort(function (a, b) { return a.r - b.r; });
        return ticked.length ? ticked.map(function (x) { return x.v; }) : undefined;
      },
    };
    return widget;
  }

  function listWidget(s) {
    const itemName = ITEM_NAMES[s.key] || "item";
    const shell = groupShell(s, "list");
    const list = el("ol", { class: "items" });
    const add = el("button", { type: "button", class: "add-item", text: "+ Voeg een " + itemName + " toe" });
    shell.box.appendChild(list);
    shell.box.appendChild(add);
    const entries = [];

    function renumber() {
      entries.forEach(function (entry, i) {
        entry.setName(humanise(itemName) + " " + (i + 1));
        entry.remove.textContent = "Verwijder " + itemName + " " + (i + 1);
      });
    }

    function addItem(value) {
      const itemSpec = { node: s.node.items, key: s.key === "aanbieders" ? "aanbieder" : itemName, value: value,
        label: humanise(itemName), required: true, inList: true };
      const item = s.key === "aanbieders" ? idWidget(itemSpec, config.organisations) : widgetFor(itemSpec);
      const remove = el("button", { type: "button", class: "remove-item link-button" });
      const li = el("li", { class: "item" }, [item.el, remove]);
      const entry = { widget: item, li: li, remove: remove, setName: function (name) {
        const caption = item.el.querySelector("legend, label");
        if (caption && caption.firstChild) caption.firstChild.textContent = name;
      } };
      remove.addEventListener("click", function () {
        entries.splice(entries.indexOf(entry), 1);
        li.remove();
        renumber();
        add.focus();
        changed();
      });
      entries.push(entry);
      list.appendChild(li);
      renumber();
      return entry;
    }

    (Array.isArray(s.value) ? s.value : []).forEach(addItem);
    add.addEventListener("click", function () {
      addItem(undefined).widget.focus();
      changed();
    });
    const widget = {
      el: shell.box, label: s.label, setError: shell.setError, focus: function () { (entries.length ? entries[0].widget : add).focus(); },
      read: function (path, reg) {
        reg[path] = widget;
        const values = [];
        entries.forEach(function (entry) {
          const value = entry.widget.read(path + "/" + values.length, reg);
          if (value !== undefined) values.push(value);
        });
        return values.length ? values : undefined;
      },
    };
    return widget;
  }

  function propertyWidgets(node, value, requiredList) {
    return Y.propertyOrder(schema, node).filter(function (key) { return node.properties && key in node.properties; })
      .map(function (key) {
        const spec = { node: node.properties[key], key: key, value: value ? value[key] : undefined,
          label: node.properties[key].title || humanise(key), required: (requiredList || []).indexOf(key) >= 0 };
        if (key === "doel" && resolveNamed(spec.node).name === "id") return { key: key, widget: idWidget(Object.assign({ node: resolveNamed(spec.node).node }, spec), config.sheets) };
        return { key: key, widget: widgetFor(spec) };
      });
  }

  function hasValue(value) {
    return value !== undefined && !(value && typeof value === "object" && Object.keys(value).length === 0);
  }

  // An object: its fields in the schema's order. An optional object not in a list folds away
  // (kenmerken has eleven), open when it holds something.
  function objectWidget(s) {
    const children = propertyWidgets(s.node, s.value, s.node.required);
    const shell = groupShell(s, "group");
    children.forEach(function (child) { if (child.widget.el) shell.box.appendChild(child.widget.el); });
    let outer = shell.box;
    if (!s.required && !s.inList && !s.top) {
      outer = el("details", { class: "optional-group" }, [el("summary", { text: s.label }), shell.box]);
      if (hasValue(s.value)) outer.open = true;
    }
    const widget = {
      el: outer, label: s.label, setError: shell.setError, children: children,
      focus: function () {
        if (outer.tagName === "DETAILS") outer.open = true;
        const first = children.find(function (c) { return c.widget.el; });
        if (first) first.widget.focus();
      },
      read: function (path, reg) {
        reg[path] = widget;
        const result = {};
        children.forEach(function (child) {
          const value = child.widget.read(path + "/" + child.key, reg);
          if (value !== undefined) result[child.key] = value;
        });
        const own = Object.keys(result).filter(function (k) { return s.node.properties[k].const === undefined; });
        return own.length ? result : undefined;
      },
    };
    return widget;
  }

  // A value of one of several shapes (a source: a slide of a deck or a web page): a choice of shape,
  // then that shape's fields.
  function alternativesWidget(s) {
    const shell = groupShell(s, "group alternatives");
    const branches = s.node.oneOf;
    const value = s.value || {};
    let chosen = branches.findIndex(function (b) {
      const keys = Object.keys(resolveNamed(b).node.properties || {});
      return Object.keys(value).length && Object.keys(value).every(function (k) { return keys.indexOf(k) >= 0; });
    });
    // A new source is most often a public web page: the shape with an address.
    if (chosen < 0) chosen = Math.max(0, branches.findIndex(function (b) { return "url" in (resolveNamed(b).node.properties || {}); }));
    const name = nextId(s.key + "-soort");
    const radios = el("div", { class: "shape-choice", role: "radiogroup", "aria-label": "Soort " + s.label.toLowerCase() });
    const parts = branches.map(function (branch, i) {
      const node = resolveNamed(branch).node;
      const radio = el("input", { type: "radio", name: name, id: name + "-" + i, value: String(i) });
      radio.checked = i === chosen;
      radios.appendChild(el("span", { class: "shape" }, [radio, el("label", { for: radio.id, text: " " + (branch.title || "Vorm " + (i + 1)) })]));
      const children = propertyWidgets(node, i === chosen ? value : undefined, node.required);
      const box = el("div", { class: "shape-fields" });
      children.forEach(function (child) { box.appendChild(child.widget.el); });
      connectSlideSuggestions(children);
      box.hidden = i !== chosen;
      radio.addEventListener("change", function () {
        choose(i);
        changed();
      });
      return { node: branch, children: children, box: box, radio: radio };
    });
    shell.box.appendChild(radios);
    parts.forEach(function (part) { shell.box.appendChild(part.box); });

    function choose(i) {
      chosen = i;
      parts.forEach(function (part, j) { part.box.hidden = j !== i; part.radio.checked = j === i; });
    }

    // A kenmerk, contact point or milestone often comes from a source the sheet already lists:
    // taking it over saves typing it again.
    if (!s.inList) {
      const copyId = nextId(s.key + "-overnemen");
      const copy = el("select", { id: copyId }, [el("option", { value: "", text: "— typ hieronder een bron, of kies er een van de fiche —" })]);
      const listed = function () { return ((root && root.read("", {})) || {}).bronnen || []; };
      copy.addEventListener("focus", function () {
        copy.replaceChildren(copy.options[0]);
        listed().forEach(function (source, i) {
          copy.appendChild(el("option", { value: String(i), text: "Bron " + (i + 1) + ": " + (source.titel || source.dia || source.url || "") }));
        });
      });
      copy.addEventListener("change", function () {
        const source = listed()[Number(copy.value)];
        copy.value = "";
        if (!source) return;
        const index = parts.findIndex(function (part) {
          const keys = Object.keys(resolveNamed(part.node).node.properties || {});
          return Object.keys(source).every(function (k) { return keys.indexOf(k) >= 0; });
        });
        if (index < 0) return;
        choose(index);
        parts[index].children.forEach(function (child) {
          if (child.widget.control) child.widget.control.value = source[child.key] === undefined ? "" : String(source[child.key]);
        });
        changed();
      });
      radios.before(el("div", { class: "field copy-source" }, [el("label", { for: copyId, text: "Neem een bron van deze fiche over" }), copy]));
    }

    const widget = {
      el: shell.box, label: s.label, kind: "alternatives", setError: shell.setError,
      branchNodes: branches, chosen: function () { return chosen; },
      focus: function () { parts[chosen].radio.focus(); },
      read: function (path, reg) {
        reg[path] = widget;
        const result = {};
        parts[chosen].children.forEach(function (child) {
          const v = child.widget.read(path + "/" + child.key, reg);
          if (v !== undefined) result[child.key] = v;
        });
        return Object.keys(result).length ? result : undefined;
      },
    };
    return widget;
  }

  // A slide is cited by its title: the field suggests the titles of the chosen deck.
  function connectSlideSuggestions(children) {
    const byKey = {};
    children.forEach(function (c) { byKey[c.key] = c.widget; });
    if (!byKey.deck || !byKey.dia || !byKey.dia.control) return;
    const deckSelect = byKey.deck.el.querySelector("select");
    const suggest = function () {
      const listId = "dias-" + deckSelect.value;
      if (deckSelect.value && document.getElementById(listId)) byKey.dia.control.setAttribute("list", listId);
      else byKey.dia.control.removeAttribute("list");
    };
    deckSelect.addEventListener("change", suggest);
    suggest();
  }

  function slideLists() {
    const box = el("div", { hidden: true });
    Object.entries(config.slides || {}).forEach(function ([deck, names]) {
      box.appendChild(el("datalist", { id: "dias-" + deck }, names.map(function (name) { return el("option", { value: name }); })));
    });
    return box;
  }

  // As registry.slide_key: a citation may vary case, dashes, spacing and a closing colon.
  function slideKey(text) {
    return text.normalize("NFC").replace(/[\u2010-\u2015\u2212]/g, "-").split(/\s+/).filter(Boolean).join(" ")
      .replace(/[: ]+$/, "").toLowerCase();
  }

  // The most alike title (shared pairs of letters), if it is alike enough to suggest.
  function closest(text, names) {
    const pairs = function (s) {
      const k = slideKey(s);
      const found = [];
      for (let i = 0; i < k.length - 1; i += 1) found.push(k.slice(i, i + 2));
      return found;
    };
    const mine = pairs(text);
    let best = null;
    let bestScore = 0;
    names.forEach(function (name) {
      const theirs = pairs(name).slice();
      let shared = 0;
      mine.forEach(function (pair) { const at = theirs.indexOf(pair); if (at >= 0) { shared += 1; theirs.splice(at, 1); } });
      const score = (2 * shared) / (mine.length + pairs(name).length || 1);
      if (score > bestScore) { best = name; bestScore = score; }
    });
    return bestScore >= 0.5 ? best : null;
  }

  // kaart validate's privacy warnings (kaart/core/privacy.py hands over its patterns and words).
  function privacyWarnings(reg) {
    const rules = config.privacy;
    if (!rules) return [];
    const say = function (kind, value, domain) {
      const [message, hint] = rules.berichten[kind];
      return message.replace("{value}", value).replace("{domain}", domain || "") + " (" + hint + ")";
    };
    const enterprise = new RegExp("^(?:" + rules.ondernemingsnummer + ")$");
    const found = [];
    Object.entries(reg).forEach(function ([path, widget]) {
      if (!widget.control || typeof widget.control.value !== "string" || widget.kind === "choice") return;
      const text = widget.control.value;
      for (const match of text.matchAll(new RegExp(rules.gsm, "g"))) {
        if (!enterprise.test(match[0])) found.push({ path: path, warning: true, text: say("gsm", match[0]) });
      }
      for (const match of text.matchAll(new RegExp(rules.email, "g"))) {
        const domain = match[1].toLowerCase();
        const parts = domain.split(".");
        if (rules.gratisDomeinen.indexOf(domain) >= 0 || rules.gratisNamen.indexOf(parts[parts.length - 2]) >= 0) {
          found.push({ path: path, warning: true, text: say("gratis-mail", match[0], domain) });
        } else if (!/^\/contact\/\d+\/email$/.test(path)) {
          found.push({ path: path, warning: true, text: say("mail-buiten-contact", match[0]) });
        }
      }
    });
    return found;
  }

  // -- checking -------------------------------------------------------------------------------------

  function message(error, widget) {
    const p = error.params || {};
    const parent = error.parentSchema || {};
    switch (error.keyword) {
      case "required":
        if (widget && widget.kind === "choice") return "Kies een waarde.";
        if (widget && widget.read && widget.el && widget.el.classList && widget.el.classList.contains("list")) return "Voeg er minstens één toe.";
        return "Vul dit veld in.";
      case "pattern": return formText(parent.errorMessage) || "Deze waarde heeft niet de juiste vorm.";
      case "minLength": return p.limit <= 1 ? "Vul dit veld in." : "Te kort: schrijf minstens " + p.limit + " tekens.";
      case "maxLength": return "Te lang: hoogstens " + p.limit + " tekens.";
      case "type": return p.type === "number" || p.type === "integer" ? "Vul een getal in (bv. 210,5)." : "Deze waarde heeft niet de juiste soort.";
      case "oneOf": case "const": case "enum": return "Kies een van de mogelijkheden.";
      case "uniqueItems": return "Item " + (p.j + 1) + " en item " + (p.i + 1) + " zijn gelijk; laat er één weg.";
      case "minItems": return "Voeg er minstens " + p.limit + " toe.";
      case "anyOf": return (parent.errorMessage || "Vul meer in") + (parent.errorHint ? ": " + parent.errorHint + "." : ".");
      case "additionalProperties": return "Onbekend veld '" + p.additionalProperty + "'.";
      default: return error.message;
    }
  }

  // The schema's messages speak to someone writing the file ("tussen aanhalingstekens"); the form
  // writes the quotes itself.
  function formText(text) {
    return text && text.replace(/,? tussen aanhalingstekens/g, "").replace(/"(\d{4}[-\d]*)"/g, "$1");
  }

  function ancestors(path) {
    const parts = path.split("/");
    const result = [];
    for (let i = parts.length; i >= 1; i -= 1) result.push(parts.slice(0, i).join("/"));
    return result;
  }

  // Ajv reports every alternative that failed; keep what the contributor can act on.
  function relevant(error, reg) {
    if (error.keyword === "if") return false;
    if (/\/anyOf\/\d+\//.test(error.schemaPath)) return false;
    const own = reg[error.instancePath];
    if (own && own.kind === "choice" && error.keyword === "const") return false;
    if (own && own.kind === "alternatives" && error.keyword === "oneOf") return false;
    return ancestors(error.instancePath).every(function (path) {
      const widget = reg[path];
      if (!widget || widget.kind !== "alternatives") return true;
      const index = widget.branchNodes.indexOf(error.parentSchema);
      return index < 0 || index === widget.chosen();
    });
  }

  function realDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return true;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  function extraProblems(data, reg) {
    const found = [];
    if (state.mode === "edit" && state.originalId && data.id !== state.originalId) {
      found.push({ path: "/id", text: "Het id is de naam van het bestand en blijft '" + state.originalId + "'. Wil je een andere naam, vraag het dan aan de beheerders." });
    }
    Object.entries(reg).forEach(function ([path, widget]) {
      if (DATE_DEFS.indexOf(widget.defName) >= 0 && widget.control && !realDate(widget.control.value.trim())) {
        found.push({ path: path, text: "Deze datum bestaat niet; kijk dag en maand na." });
      }
    });
    if (state.mode === "new" && data.id && config.sheets.some(function ([id]) { return id === data.id; })) {
      found.push({ path: "/id", text: "Er is al een fiche met id '" + data.id + "'. Bewerk die fiche (zoek ze op de site) of kies een ander id." });
    }
    Object.entries(reg).forEach(function ([path, widget]) {
      if (widget.key !== "dia" || !widget.control || isEmpty(widget.control.value)) return;
      const deck = reg[path.replace(/dia$/, "deck")];
      const deckValue = deck ? deck.read(path.replace(/dia$/, "deck"), {}) : undefined;
      const names = (config.slides || {})[deckValue];
      if (names && !names.some(function (n) { return slideKey(n) === slideKey(widget.control.value); })) {
        const near = closest(widget.control.value, names);
        found.push({ path: path, text: near
          ? "Het deck heeft geen dia met deze titel; bedoel je ‘" + near + "’?"
          : "Het deck heeft geen dia met deze titel. Begin te typen en kies een titel uit de lijst van het veld, zoals hij op de dia staat." });
      }
    });
    privacyWarnings(reg).forEach(function (p) { found.push(p); });
    (data.relaties || []).forEach(function (rel, i) {
      if (rel.doel && rel.doel === data.id) found.push({ path: "/relaties/" + i + "/doel", text: "Een fiche kan geen relatie met zichzelf hebben." });
    });
    return found;
  }

  // Where a field stands, as the form shows it: "Bron 2 › Titel", "Kenmerken › Duur › Waarde".
  function contextLabel(path, reg) {
    const parts = path.split("/").slice(1);
    const names = [];
    parts.forEach(function (part, i) {
      const here = "/" + parts.slice(0, i + 1).join("/");
      if (/^\d+$/.test(part)) {
        names.pop();  // "Bronnen" gives way to "Bron 2"
        names.push(humanise(ITEM_NAMES[parts[i - 1]] || "item") + " " + (Number(part) + 1));
      } else if (reg[here] && reg[here].label) {
        names.push(reg[here].label);
      }
    });
    return names.join(" › ");
  }

  function pageOrder(a, b) {
    if (!a || !b || !a.el || !b.el || a.el === b.el) return 0;
    return a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  function check() {
    const reg = {};
    const data = root.read("", reg) || {};
    data.type = state.type;
    const problems = [];
    if (!validate(data)) {
      validate.errors.filter(function (e) { return relevant(e, reg); }).forEach(function (error) {
        const path = error.keyword === "required" ? error.instancePath + "/" + error.params.missingProperty : error.instancePath;
        const target = ancestors(path).find(function (p) { return reg[p] && reg[p].el; });
        problems.push({ path: target === undefined ? "" : target, text: message(error, reg[path]) });
      });
    }
    extraProblems(data, reg).forEach(function (p) { problems.push(p); });
    const seen = {};
    const unique = problems.filter(function (p) {
      const key = (p.warning ? "w" : "e") + p.path;
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
    unique.forEach(function (p) { p.label = contextLabel(p.path, reg); });
    unique.sort(function (a, b) { return pageOrder(reg[a.path], reg[b.path]); });
    return { data: data, problems: unique, reg: reg };
  }

  // -- the page ---------------------------------------------------------------------------------

  let form, fields, summary, output, fileName, githubLink, downloadLink, resultStatus, steps, longFileNote, changes;

  function fileFor(data) {
    if (state.mode === "edit") return state.path;
    return config.folders[state.type] + "/" + (data.id || "nieuwe-fiche") + ".yaml";
  }

  function showProblems(result, moveFocus) {
    Object.values(result.reg).forEach(function (w) { if (w.setError) w.setError(""); });
    summary.replaceChildren();
    summary.hidden = result.problems.length === 0;
    if (!result.problems.length) return;
    const errors = result.problems.filter(function (p) { return !p.warning; });
    const warnings = result.problems.filter(function (p) { return p.warning; });
    // At its field a mistake is said over a warning.
    warnings.concat(errors).forEach(function (problem) {
      const widget = result.reg[problem.path];
      if (widget && widget.setError) widget.setError(problem.text);
    });
    if (errors.length) {
      summary.appendChild(el("h2", { text: errors.length === 1 ? "Nog 1 ding te verbeteren" : "Nog " + errors.length + " dingen te verbeteren" }));
      summary.appendChild(problemList(errors, result.reg));
    }
    if (warnings.length) {
      summary.appendChild(el("h2", { text: "Let op: kijk dit na" }));
      summary.appendChild(el("p", { text: "Dit mag, maar is wellicht niet bedoeld voor de kaart." }));
      summary.appendChild(problemList(warnings, result.reg));
    }
    if (moveFocus) summary.focus();
  }

  function problemList(problems, reg) {
    const list = el("ul", {});
    problems.forEach(function (problem) {
      const widget = reg[problem.path];
      const link = el("a", { href: "#", text: (problem.label ? problem.label + ": " : "") + problem.text });
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (widget) {
          let node = widget.el;
          while (node) { if (node.tagName === "DETAILS") node.open = true; node = node.parentElement; }
          widget.focus();
        }
      });
      list.appendChild(el("li", {}, [link]));
    });
    return list;
  }

  // The file as it is now, put together from the lines the build handed over.
  function originalText() {
    const text = state.original && state.original.text;
    if (!text || !text.keys) return null;
    const lines = text.head.slice();
    Object.values(text.keys).forEach(function (block) { Array.prototype.push.apply(lines, block.comments.concat(block.lines)); });
    return lines.join("\n") + "\n";
  }

  // The lines taken away and added (a longest common subsequence of lines: files are short).
  function changedLines(before, after) {
    const a = before.split("\n");
    const b = after.split("\n");
    const common = a.map(function () { return new Array(b.length + 1).fill(0); });
    common.push(new Array(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i -= 1) {
      for (let j = b.length - 1; j >= 0; j -= 1) {
        common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    const found = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) { i += 1; j += 1; }
      else if (i < a.length && (j === b.length || common[i + 1][j] >= common[i][j + 1])) { found.push({ kind: "weg", line: a[i], at: i + 1 }); i += 1; }
      else { found.push({ kind: "nieuw", line: b[j], at: j + 1 }); j += 1; }
    }
    return found;
  }

  // When editing: what the pull request will show, before the file is handed over.
  function showChanges(yaml) {
    const before = originalText();
    changes.hidden = before === null;
    if (before === null) return;
    const list = changes.querySelector("ul");
    list.replaceChildren();
    const found = changedLines(before, yaml);
    changes.querySelector("p").textContent = found.length
      ? "Zo ziet de beheerder je wijziging (regelnummers in het bestand):"
      : "Nog niets veranderd aan de fiche.";
    found.forEach(function (change) {
      list.appendChild(el("li", { class: "diff-" + change.kind }, [
        el("span", { class: "diff-kind", text: (change.kind === "weg" ? "weg, regel " : "nieuw, regel ") + change.at + ": " }),
        el("code", { text: change.line || " " })]));
    });
  }

  function render(result) {
    const yaml = Y.toYaml(schema, config.schemaLine, result.data, state.original);
    const file = fileFor(result.data);
    output.value = yaml;
    showChanges(yaml);
    fileName.textContent = file;
    if (downloadLink.href.startsWith("blob:")) URL.revokeObjectURL(downloadLink.href);
    downloadLink.href = URL.createObjectURL(new Blob([yaml], { type: "application/yaml" }));
    downloadLink.setAttribute("download", file.split("/").pop());
    const repo = app.dataset.repo;
    if (repo) {
      githubLink.hidden = false;
      const newFile = repo + "/new/" + app.dataset.branch + "?filename=" + encodeURIComponent(file);
      const withContent = newFile + "&value=" + encodeURIComponent(yaml);
      // Very long addresses are cut off on the way by some servers and proxies: a long file is
      // pasted instead (the steps say so).
      const fits = withContent.length <= MAX_LINK_LENGTH;
      githubLink.href = state.mode === "edit" ? repo + "/edit/" + app.dataset.branch + "/" + state.path
        : fits ? withContent : newFile;
      longFileNote.hidden = state.mode === "edit" || fits;
    } else {
      githubLink.hidden = true;
    }
    if (!state.checked) {
      resultStatus.textContent = "Kies ‘Controleer en maak het bestand’ als je klaar bent. Hieronder zie je het bestand groeien terwijl je invult.";
      resultStatus.className = "result-status";
    } else {
      const errors = result.problems.filter(function (p) { return !p.warning; }).length;
      resultStatus.textContent = errors
        ? "Nog niet klaar: verbeter eerst wat bovenaan het formulier staat. Het bestand hieronder toont wat je tot nu toe invulde."
        : result.problems.length
          ? "Het bestand volgt de regels van de kaart, maar kijk eerst na wat bovenaan onder ‘Let op’ staat."
          : "Klaar: het bestand is in orde volgens de regels van de kaart.";
      resultStatus.className = errors ? "result-status not-ready" : "result-status ready";
    }
  }

  let timer = null;
  function changed() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      const result = check();
      render(result);
      saveDraft(result.data);
      if (state.checked) showProblems(result, false);
    }, 200);
  }

  // What was typed survives leaving the page in this tab (going to GitHub, a reload): it stays in
  // the browser's session storage, never on a server.
  function draftKey() {
    return "kaart-fiche-concept:" + (state.mode === "edit" ? state.path : "nieuw");
  }

  function saveDraft(data) {
    try { sessionStorage.setItem(draftKey(), JSON.stringify(data)); } catch (error) { /* private mode: no drafts */ }
  }

  function offerDraft(current) {
    let draft = null;
    try { draft = JSON.parse(sessionStorage.getItem(draftKey()) || "null"); } catch (error) { draft = null; }
    if (!draft || !draft.type || JSON.stringify(draft) === JSON.stringify(current)) return;
    const resume = el("button", { type: "button", class: "button", text: "Verder met wat ik invulde" });
    const fresh = el("button", { type: "button", class: "link-button", text: "Opnieuw beginnen" });
    const notice = el("div", { class: "notice draft", role: "region", "aria-label": "Eerder ingevuld" }, [
      el("p", { text: "Je vulde dit formulier eerder in, in dit tabblad. Wil je daarmee verder?" }), el("p", {}, [resume, document.createTextNode(" "), fresh])]);
    resume.addEventListener("click", function () {
      const radio = document.getElementById("soort-" + draft.type);
      if (radio) radio.checked = true;
      buildFields(draft.type, draft);
      notice.remove();
      changed();
      root.focus();
    });
    fresh.addEventListener("click", function () {
      try { sessionStorage.removeItem(draftKey()); } catch (error) { /* nothing kept */ }
      notice.remove();
    });
    form.insertBefore(notice, form.firstChild);
  }

  function buildFields(type, data) {
    state.type = type;
    fields.replaceChildren();
    const node = resolveNamed(schema.$defs[type]).node;
    root = objectWidget({ node: node, key: type, value: data, label: type === "initiatief" ? "Het initiatief" : "De organisatie",
      required: true, top: true });
    root.el.classList.add("top-group");
    fields.appendChild(sectionLinks(root));
    fields.appendChild(root.el);
    connectIdSuggestion();
    if (state.mode === "edit") {
      root.children.forEach(function (c) { if (c.key === "id" && c.widget.control) c.widget.control.readOnly = true; });
    }
  }

  // A full factsheet is long on a phone: links to its groups of fields (sources, kenmerken …).
  function sectionLinks(top) {
    const list = el("ul", {});
    top.children.forEach(function (child) {
      const box = child.widget.el;
      if (!box || (box.tagName !== "FIELDSET" && box.tagName !== "DETAILS")) return;
      box.id = "deel-" + child.key;
      const link = el("a", { href: "#" + box.id, text: child.widget.label });
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (box.tagName === "DETAILS") box.open = true;
        box.scrollIntoView();
        child.widget.focus();
      });
      list.appendChild(el("li", {}, [link]));
    });
    return el("nav", { class: "form-sections", "aria-label": "Onderdelen van de fiche" },
      [el("p", { text: "Ga naar:" }), list]);
  }

  // A new factsheet's id follows its title (or abbreviation) until someone types an id.
  function connectIdSuggestion() {
    if (state.mode !== "new") return;
    const byKey = {};
    root.children.forEach(function (c) { byKey[c.key] = c.widget; });
    if (!byKey.id || !byKey.titel) return;
    // Ask for the name first: the id is made from it.
    (byKey.afkorting || byKey.titel).el.after(byKey.id.el);
    let typed = byKey.id.control.value !== "";
    byKey.id.control.addEventListener("input", function () { typed = byKey.id.control.value !== ""; });
    const suggest = function () {
      if (typed) return;
      const source = (byKey.afkorting && byKey.afkorting.control.value) || byKey.titel.control.value;
      byKey.id.control.value = source.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
    };
    byKey.titel.control.addEventListener("input", suggest);
    if (byKey.afkorting) byKey.afkorting.control.addEventListener("input", suggest);
  }

  function today() {
    const d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function typeChoice() {
    const box = el("fieldset", { class: "type-choice" }, [el("legend", { text: "Wat voeg je toe?" })]);
    [["initiatief", "Een initiatief (maatregel, dienst, project)"], ["organisatie", "Een organisatie"]].forEach(function ([value, label]) {
      const radio = el("input", { type: "radio", name: "fiche-soort", id: "soort-" + value, value: value });
      radio.checked = value === state.type;
      radio.addEventListener("change", function () {
        const keep = root.read("", {}) || {};
        buildFields(value, keep);
        changed();
      });
      box.appendChild(el("span", { class: "shape" }, [radio, el("label", { for: radio.id, text: " " + label })]));
    });
    return box;
  }

  function buildPage(sheet) {
    document.getElementById("formulier-laden").remove();
    summary = el("div", { class: "error-summary", id: "fouten", tabindex: "-1", hidden: true });
    fields = el("div", { id: "velden" });
    const intro = sheet
      ? el("p", { class: "editing" }, [document.createTextNode("Je bewerkt "), el("strong", { text: sheet.data.titel }),
        document.createTextNode(" (" + sheet.path + "). Pas aan wat niet klopt, zet de datum bij ‘Laatst nagekeken’ op vandaag als je de fiche tegen de bronnen nakeek, en kies onderaan ‘Controleer en maak het bestand’.")])
      : typeChoice();
    const submit = el("button", { type: "submit", class: "button", text: "Controleer en maak het bestand" });
    form = el("form", { id: "fiche-formulier", novalidate: true, "aria-labelledby": "formulier-titel" },
      [summary, intro, fields, el("p", {}, [submit])]);
    app.appendChild(form);
    app.appendChild(slideLists());

    const heading = el("h2", { id: "resultaat-kop", tabindex: "-1", text: "Het bestand" });
    resultStatus = el("p", { role: "status", class: "result-status" });
    fileName = el("code", {});
    output = el("textarea", { id: "yaml-uit", readonly: true, rows: "14", spellcheck: "false", autocapitalize: "off" });
    // A new tab: what was filled in here stays on screen while GitHub asks to sign in.
    githubLink = el("a", { class: "button", id: "naar-github", target: "_blank", rel: "noopener",
      text: sheet ? "Open de fiche op GitHub (nieuw tabblad)" : "Stel voor op GitHub (nieuw tabblad)" });
    const copy = el("button", { type: "button", id: "kopieer", text: "Kopieer het bestand" });
    downloadLink = el("a", { class: "button secondary", id: "download", href: "#", text: "Download het bestand" });
    const copied = el("span", { role: "status", class: "copied" });
    copy.addEventListener("click", function () {
      output.select();
      const done = function () { copied.textContent = "Gekopieerd."; };
      if (navigator.clipboard) navigator.clipboard.writeText(output.value).then(done, function () { document.execCommand("copy"); done(); });
      else { document.execCommand("copy"); done(); }
    });
    longFileNote = el("p", { class: "notice", id: "lang-bestand", hidden: true,
      text: "Dit bestand is te lang om in één link mee te geven: GitHub opent een leeg bestand met de juiste naam. Kies eerst ‘Kopieer het bestand’ en plak het daar." });
    changes = el("section", { class: "changes", "aria-labelledby": "wijziging-kop", hidden: true }, [
      el("h3", { id: "wijziging-kop", text: "Wat er verandert" }), el("p", {}), el("ul", { class: "diff" })]);
    steps = el("ol", { class: "steps" });
    (sheet ? [
      "Kies ‘Kopieer het bestand’.",
      "Kies ‘Open de fiche op GitHub’ en meld je aan (een gratis account volstaat). GitHub toont het bestand om te bewerken.",
      "Selecteer daar alle tekst (Ctrl+A, op een Mac Cmd+A) en plak het gekopieerde bestand erover (Ctrl+V of Cmd+V).",
      "Kies ‘Commit changes…’, schrijf in één zin wat je veranderde en kies ‘Propose changes’ en dan ‘Create pull request’.",
      "De controle ‘Fiches in orde’ kijkt je wijziging na; een beheerder neemt ze op. Lukt het niet? Download het bestand en stuur het naar de beheerders van de kaart.",
    ] : [
      "Kies ‘Stel voor op GitHub’ en meld je aan (een gratis account volstaat). GitHub opent een nieuw bestand met deze naam en inhoud.",
      "Kies ‘Commit changes…’, schrijf in één zin wat je toevoegt en kies ‘Propose changes’ en dan ‘Create pull request’.",
      "De controle ‘Fiches in orde’ kijkt je fiche na; een beheerder neemt ze op.",
      "Lukt het niet? Kopieer of download het bestand en stuur het naar de beheerders van de kaart.",
    ]).forEach(function (text) { steps.appendChild(el("li", { text: text })); });
    const label = el("label", { for: "yaml-uit" }, [document.createTextNode("Inhoud van "), fileName]);
    app.appendChild(el("section", { class: "result", "aria-labelledby": "resultaat-kop" },
      [heading, resultStatus, changes, label, output, el("p", { class: "result-actions" }, [githubLink, copy, downloadLink, copied]), longFileNote, steps]));

    buildFields(state.type, sheet ? sheet.data : { laatst_nagekeken: today() });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.checked = true;
      const result = check();
      render(result);
      showProblems(result, true);
      if (!result.problems.length) heading.focus();
    });
    const initial = check();
    render(initial);
    offerDraft(initial.data);
  }

  // The group file a factsheet's data is in: FNV-1a of its id, as the build computes it
  // (kaart/features/contribute.py, sheet_group); ids are ASCII, so a character is a byte.
  function sheetGroup(id, groups) {
    let value = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) {
      value = Math.imul((value ^ id.charCodeAt(i)) >>> 0, 0x01000193) >>> 0;
    }
    return value % groups;
  }

  // A factsheet's file as the build hands it over ({path, data, text}), or null if there is none.
  function loadSheet(sheetId) {
    const group = sheetGroup(sheetId, Number(app.dataset.groups) || 1);
    return fetch(app.dataset.groupFolder + group + ".json")
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (sheets) { return sheets && Object.prototype.hasOwnProperty.call(sheets, sheetId) ? sheets[sheetId] : null; });
  }

  function start() {
    const params = new URLSearchParams(window.location.search);
    const sheetId = params.get("fiche");
    if (params.get("soort") === "organisatie") state.type = "organisatie";
    const loads = [fetch(app.dataset.config).then(function (r) { return r.json(); })];
    if (sheetId && /^[a-z0-9-]+$/.test(sheetId)) loads.push(loadSheet(sheetId));
    return Promise.all(loads).then(function ([loaded, sheet]) {
      config = loaded;
      schema = config.schema;
      const Ajv = window.ajv2020;
      validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
      if (sheet) {
        state.mode = "edit";
        state.type = sheet.data.type;
        state.path = sheet.path;
        state.originalId = sheet.data.id;
        state.original = sheet;
      } else if (sheetId) {
        app.insertBefore(el("p", { class: "notice", text: "Er is geen fiche met id ‘" + sheetId + "’. Je kan hieronder een nieuwe fiche maken." }), document.getElementById("formulier-laden"));
      }
      buildPage(sheet);
    }).catch(function (error) {
      const waiting = document.getElementById("formulier-laden");
      if (waiting) waiting.textContent = "Het formulier kon niet laden (" + error.message + "). Bewerk de fiche rechtstreeks op GitHub of lees hoe je bijdraagt.";
      throw error;
    });
  }

  const ready = start();
  // For tests and for anyone scripting the form: fill it with data, read it back, get the file.
  window.kaartFicheForm = {
    ready: ready,
    loadSheet: loadSheet,
    // `original`: the sheet's file as the build hands it over ({path, data, text}), to edit it.
    fill: function (data, path, original) {
      Object.assign(state, { mode: "edit", type: data.type, originalId: data.id, original: original || null,
        path: path || config.folders[data.type] + "/" + data.id + ".yaml" });
      buildFields(data.type, data);
    },
    read: function () { return check().data; },
    problems: function () { return check().problems; },
    yaml: function () { return Y.toYaml(schema, config.schemaLine, check().data, state.original); },
  };
})();
