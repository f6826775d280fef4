// kaart search page, the part fetched only when a query needs help (search.js `helpModule`):
// correcting a misspelt word from the factsheets' own words, searching a question for its content
// words, the pages with most of the words, and the help shown under the search box.
// Contributor text never goes through innerHTML here either.

const WORD_PREFIX = 2;  // kaart/features/search/lookup.py WORD_PREFIX
const STOP_WORDS = new Set(("de het een en of van voor in op aan met bij naar om te tot uit over door als dat die dit " +
  "deze er hoe wat wie waar wanneer welke waarom ik je jij u hij zij ze we wij mijn mij me jouw uw zijn is ben bent " +
  "kan kun kunt kunnen mag moet wil wordt worden heb hebt heeft hebben ook nog niet geen krijg krijgt krijgen " +
  "vraag vragen iemand iets dan zo al wel nu").split(" "));


function contentWords(query, lookupKey) {
  return lookupKey(query).split(" ").filter((word) => word && !STOP_WORDS.has(word));
}

// Optimal string alignment distance (adjacent swaps count as one edit), stopping above `limit`.
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

async function correction(word, tools) {
  const { lookup, lookupKey } = tools;
  const words = await lookup("woorden", word, WORD_PREFIX);
  if (!words) return null;
  const limit = word.length >= 8 ? 2 : 1;
  let best = null;
  for (const [form, count] of words) {  // most frequent first: the first at the least distance wins
    const key = lookupKey(form);
    if (key === word) return null;  // a word of the factsheets after all
    const d = distance(word, key, limit);
    if (d <= limit && (!best || d < best.d)) best = { form, d, count };
  }
  return best ? best.form : null;
}

async function corrected(query, words, tools) {
  const { lookupKey } = tools;
  let text = lookupKey(query);
  let changed = false;
  for (const word of words) {
    const better = await correction(word, tools);
    if (better) {
      text = text.split(" ").map((w) => (w === word ? lookupKey(better) : w)).join(" ");
      changed = true;
    }
  }
  return changed ? text : null;
}

// The pages with most of the words, when none has all of them.
async function bestTerms(words, state, tools) {
  const searches = await Promise.all(words.map((w) => tools.pagefind().search(w, { filters: tools.filtersOf(state) })));
  const merged = new Map();
  for (const search of searches) {
    for (const result of (search && search.results) || []) {
      const entry = merged.get(result.id) || { id: result.id, score: 0, terms: 0, data: result.data };
      entry.score += result.score;
      entry.terms += 1;
      merged.set(result.id, entry);
    }
  }
  return [...merged.values()].sort((a, b) => b.terms - a.terms || b.score - a.score);
}

export async function recover(query, found, unmatched, state, tools, stale) {
  const { pagefindSearch, lookupKey } = tools;
  const weak = unmatched || contentWords(query, lookupKey).filter((w) => w.length >= 5 && !/^[0-9]+$/.test(w));
  if (weak.length) {
    const better = await corrected(query, weak, tools);
    if (better && !stale()) {
      const retry = await pagefindSearch(better, state);
      if (retry && retry.results.length) return { ...retry, note: "spelling", original: query };
      found.suggestion = better;
    }
  }
  if (found.results.length || stale()) return found;
  const words = contentWords(query, lookupKey);
  if (words.length && words.join(" ") !== lookupKey(query)) {
    const retry = await pagefindSearch(words.join(" "), state);
    if (retry && retry.results.length) return { ...retry, note: "questionWords", original: query };
  }
  if (words.length > 1) {
    const results = await bestTerms(words, state, tools);
    if (results.length) return { results, filters: null, used: words.join(" "), note: "someWords", original: query };
  }
  return found;
}

function searchLink(text, query, asTyped, tools) {
  const button = tools.element("button", "link-button", text);
  button.type = "button";
  button.addEventListener("click", () => tools.search(query, asTyped));
  return button;
}

export function showHelp(found, state, tools, box) {
  const { element, help, wayOn, form, input } = tools;
  help.replaceChildren();
  wayOn.hidden = true;
  if (!found || !state.query) {
    help.hidden = true;
    return;
  }
  const line = (...parts) => {
    const paragraph = element("p");
    paragraph.append(...parts.map((part) => (typeof part === "string" ? document.createTextNode(part) : part)));
    help.append(paragraph);
  };
  const quoted = (text) => `\u201c${text}\u201d`;
  if (found.note === "spelling") {
    line(`Resultaten voor ${quoted(found.used)}. `, searchLink(`Zoek toch naar ${quoted(found.original)}`, found.original, true, tools));
  } else if (found.note === "questionWords") {
    line(`Geen fiche bevat alle woorden van ${quoted(found.original)}; dit zijn de resultaten voor ${quoted(found.used)}.`);
  } else if (found.note === "someWords") {
    line(`Geen fiche bevat al deze woorden; dit zijn de fiches met de meeste ervan.`);
  }
  if (found.suggestion && !found.results.length) {
    line("Bedoelde je ", searchLink(found.suggestion, found.suggestion, false, tools), "?");
  }
  if (box && !box.checked) {
    const legend = box.closest("fieldset").querySelector("legend").textContent;
    const labelText = box.parentElement.querySelector(".facet-label").textContent;
    const button = element("button", "link-button", `Toon alle fiches met ${legend.toLowerCase()}: ${labelText}`);
    button.type = "button";
    button.addEventListener("click", () => {
      box.checked = true;
      input.value = "";
      tools.rerun();
    });
    line(button);
  }
  if (!found.results.length) {
    if (Object.keys(state.filters).length) {
      const clear = element("button", "link-button", "Zoek zonder filters");
      clear.type = "button";
      clear.addEventListener("click", () => {
        for (const checked of form.querySelectorAll("fieldset[data-facet] input:checked")) checked.checked = false;
        tools.rerun();
      });
      line(clear);
    }
    wayOn.hidden = false;
  }
  help.hidden = !help.childElementCount;
}

