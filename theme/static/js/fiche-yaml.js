/* Writes a factsheet as YAML in the form `kaart fmt` gives it (kaart/content/fmt.py): the schema
   line on top, keys in the schema's property order at every level, two-space indentation with
   list dashes under their key, dates and anything YAML could read as another type in double
   quotes, text with line breaks as a literal block. A test formats every shipped factsheet
   through this file and checks that `kaart fmt` would not change a byte. */
(function (global) {
  "use strict";

  function resolve(schema, node) {
    while (node && node.$ref) {
      const name = node.$ref.split("/").pop();
      const rest = Object.assign({}, node);
      delete rest.$ref;
      node = Object.assign({}, schema.$defs[name], rest);
    }
    return node || {};
  }

  // The property names of an object schema, each oneOf branch's too (as fmt's _properties).
  function propertyOrder(schema, node) {
    const names = Object.keys(node.properties || {});
    (node.oneOf || []).forEach(function (branch) {
      Object.keys(resolve(schema, branch).properties || {}).forEach(function (name) {
        if (names.indexOf(name) < 0) names.push(name);
      });
    });
    return names;
  }

  function childSchema(schema, node, key) {
    if (typeof key === "number") return resolve(schema, node.items);
    const branches = [node].concat((node.oneOf || []).map(function (b) { return resolve(schema, b); }));
    for (const branch of branches) {
      if (branch.properties && key in branch.properties) return resolve(schema, branch.properties[key]);
    }
    return {};
  }

  function orderedKeys(schema, node, value) {
    const order = propertyOrder(schema, node);
    const keys = Object.keys(value);
    return keys.slice().sort(function (a, b) {
      const ra = order.indexOf(a) < 0 ? order.length : order.indexOf(a);
      const rb = order.indexOf(b) < 0 ? order.length : order.indexOf(b);
      return ra - rb || keys.indexOf(a) - keys.indexOf(b);
    });
  }

  const SPECIAL_WORDS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;
  const NUMBER_LIKE = /^[-+]?(\.?[0-9][0-9_.,:eE+-]*|\.(inf|nan))$/i;
  const DATE_LIKE = /^[0-9]{4}-[0-9]{1,2}(-[0-9]{1,2})?([Tt ].*)?$/;
  const INDICATOR_FIRST = /^[-?:,[\]{}#&*!|>'"%@`\s]/;

  function isPlainSafe(text) {
    return text !== "" && !INDICATOR_FIRST.test(text) && !/\s$/.test(text) && !/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(text) &&
      text.indexOf(": ") < 0 && text.indexOf(" #") < 0 && !text.endsWith(":") &&
      !SPECIAL_WORDS.test(text) && !NUMBER_LIKE.test(text) && !DATE_LIKE.test(text);
  }

  function doubleQuoted(text) {
    return JSON.stringify(text);
  }

  // A literal block keeps text with line breaks readable; YAML needs an indentation indicator
  // when the text starts with a space, and keeps several final line breaks only with "+".
  function literalBlock(text) {
    const firstLine = text.replace(/^\n+/, "");
    if (/^[ \t]/.test(firstLine) || /[\r\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/.test(text) || /\n\n$/.test(text)) return null;
    return { header: text.endsWith("\n") ? "|" : "|-", lines: text.replace(/\n$/, "").split("\n") };
  }

  function scalar(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return String(value);
    return isPlainSafe(value) ? value : doubleQuoted(value);
  }

  // Long one-line text is folded over lines of at most WIDTH characters (`>-`), as the shipped
  // factsheets are written: YAML joins the lines again with one space. Only text whose spaces are
  // single and inner can be folded without changing it.
  const WIDTH = 100;

  function foldable(text, indent) {
    return !/^\s|\s$|\s\s|[\t\r\n\u0000-\u001f\u007f\u0085\u2028\u2029\u00a0]/.test(text) &&
      foldedLines(text, indent).length > 1;
  }

  // Short lists and objects of plain values stay on one line, as the shipped factsheets write
  // them: `[werkzoekenden, werkgevers]`, `{deck: netwerk-2022, dia: Mapping initiatieven}`.
  function isScalar(value) {
    return value === null || typeof value !== "object";
  }

  function flowScalar(value) {
    if (typeof value !== "string") return scalar(value);
    return isPlainSafe(value) && !/[,[\]{}]/.test(value) ? value : doubleQuoted(value);
  }

  function flowText(schema, node, value) {
    if (Array.isArray(value)) {
      if (!value.length || !value.every(isScalar) || value.some(function (v) { return typeof v === "string" && v.indexOf("\n") >= 0; })) return null;
      return "[" + value.map(flowScalar).join(", ") + "]";
    }
    if (value !== null && typeof value === "object") {
      const keys = orderedKeys(schema, node, value);
      if (!keys.length || !keys.every(function (k) { return isScalar(value[k]) && String(value[k]).indexOf("\n") < 0; })) return null;
      return "{" + keys.map(function (k) { return k + ": " + flowScalar(value[k]); }).join(", ") + "}";
    }
    return null;
  }

  function foldedLines(text, indent) {
    const lines = [];
    let line = "";
    text.split(" ").forEach(function (word) {
      if (line && indent + line.length + 1 + word.length > WIDTH) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines.map(function (l) { return " ".repeat(indent) + l; });
  }

  function blockLines(block, indent) {
    return block.lines.map(function (line) { return line === "" ? "" : " ".repeat(indent) + line; });
  }

  // `prefix` is what stands before the value on its first line ("key:" or "- "), `indent` the
  // column of that line's content.
  function emitValue(schema, node, value, prefix, indent, out) {
    const flow = flowText(schema, node, value);
    if (flow !== null && (prefix + " " + flow).length <= WIDTH) {
      out.push(prefix + " " + flow);
    } else if (Array.isArray(value)) {
      out.push(prefix);
      value.forEach(function (item, i) { emitItem(schema, childSchema(schema, node, i), item, indent + 2, out); });
    } else if (value !== null && typeof value === "object") {
      out.push(prefix);
      emitMapping(schema, node, value, indent + 2, out);
    } else if (typeof value === "string" && value.indexOf("\n") >= 0 && literalBlock(value)) {
      const block = literalBlock(value);
      out.push(prefix + " " + block.header);
      Array.prototype.push.apply(out, blockLines(block, indent + 2));
    } else if (typeof value === "string" && (prefix + " " + scalar(value)).length > WIDTH && foldable(value, indent + 2)) {
      out.push(prefix + " >-");
      Array.prototype.push.apply(out, foldedLines(value, indent + 2));
    } else {
      out.push(prefix + " " + scalar(value));
    }
  }

  function emitMapping(schema, node, value, indent, out) {
    orderedKeys(schema, node, value).forEach(function (key) {
      emitValue(schema, childSchema(schema, node, key), value[key], " ".repeat(indent) + key + ":", indent, out);
    });
  }

  function emitItem(schema, node, item, dashColumn, out) {
    const dash = " ".repeat(dashColumn) + "- ";
    const flow = flowText(schema, node, item);
    if (flow !== null && (dash + flow).length <= WIDTH) {
      out.push(dash + flow);
    } else if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      const lines = [];
      emitMapping(schema, node, item, dashColumn + 2, lines);
      out.push(dash + lines[0].slice(dashColumn + 2));
      Array.prototype.push.apply(out, lines.slice(1));
    } else if (typeof item === "string" && item.indexOf("\n") >= 0 && literalBlock(item)) {
      const block = literalBlock(item);
      out.push(dash + block.header);
      Array.prototype.push.apply(out, blockLines(block, dashColumn + 2));
    } else {
      out.push(dash + scalar(item));
    }
  }

  function topSchema(schema, data) {
    const def = schema.$defs[data.type];
    return def ? resolve(schema, def) : {};
  }

  // Equal as data: the same values, whatever the order of an object's keys.
  function sameValue(a, b) {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(function (k) { return k in b && sameValue(a[k], b[k]); });
  }

  // `original` (optional): the file being edited, as {data, text: {head, keys: {key: {comments, lines}}}}
  // (kaart/features/contribute.py). A field the edit left alone keeps its lines as the file had them.
  function toYaml(schema, schemaLine, data, original) {
    const text = original && original.text && original.text.keys ? original.text : null;
    const out = text ? text.head.slice() : [schemaLine];
    const node = topSchema(schema, data);
    orderedKeys(schema, node, data).forEach(function (key) {
      const block = text && text.keys[key];
      if (block) Array.prototype.push.apply(out, block.comments);
      if (block && sameValue(data[key], original.data[key])) {
        Array.prototype.push.apply(out, block.lines);
      } else if (block && (block.fields || block.items) && data[key] !== null && typeof data[key] === "object") {
        out.push(key + ":");
        emitParts(schema, childSchema(schema, node, key), data[key], original.data[key], block, out);
      } else {
        emitValue(schema, childSchema(schema, node, key), data[key], key + ":", 0, out);
      }
    });
    return out.join("\n") + "\n";
  }

  // One level down: the fields of a mapping or the items of a list the edit left alone keep their
  // lines too (one changed kenmerk or source is one changed part of the pull request).
  function emitParts(schema, node, value, before, block, out) {
    const push = function (part) { Array.prototype.push.apply(out, part.comments.concat(part.lines)); };
    if (Array.isArray(value) && block.items) {
      const used = [];
      value.forEach(function (item, i) {
        const j = (Array.isArray(before) ? before : []).findIndex(function (old, k) {
          return used.indexOf(k) < 0 && k < block.items.length && sameValue(old, item);
        });
        if (j >= 0) {
          used.push(j);
          push(block.items[j]);
        } else {
          emitItem(schema, childSchema(schema, node, i), item, 2, out);
        }
      });
    } else if (!Array.isArray(value) && block.fields) {
      orderedKeys(schema, node, value).forEach(function (k) {
        const part = block.fields[k];
        if (part && before && !Array.isArray(before) && sameValue(value[k], before[k])) {
          push(part);
        } else {
          if (part) Array.prototype.push.apply(out, part.comments);
          emitValue(schema, childSchema(schema, node, k), value[k], "  " + k + ":", 2, out);
        }
      });
    } else {
      const lines = [];
      emitValue(schema, node, value, "x:", 0, lines);
      Array.prototype.push.apply(out, lines.slice(1));
    }
  }

  global.kaartFicheYaml = { toYaml: toYaml, resolve: resolve, propertyOrder: propertyOrder };
})(typeof window !== "undefined" ? window : globalThis);
