// kaart search page: a lean UI on Pagefind's JS API (no framework, no stock UI).
// State (query and facets) lives in the URL, so a filtered view can be shared and reloaded.
// Contributor text never goes through innerHTML: excerpts are rebuilt from text nodes and <mark>.

// The first results come fast with few fragments to fetch; "meer resultaten" fetches more at once.
// Up to PAGE_SIZE results all show at once: a button for one or two more would only be a detour.
const FIRST_PAGE = 5;
const PAGE_SIZE = 10;
const form = document.getElementById("zoekformulier");
const input = document.getElementById("zoekterm");
const statusLine = document.getElementById("zoekstatus");
const list = document.getElementById("resultaten");
const moreButton = document.getElementById("meer-resultaten");
const labels = facetLabels();
const facetNames = Array.from(form.querySelectorAll("fieldset[data-facet]"), (f) => f.dataset.facet);
const kindLabels = { initiatief: "Initiatief", organisatie: "Organisatie" };

let pagefind = null;
let current = [];
let shown = 0;
let generation = 0;
// Facet counts need Pagefind's filter index: it is fetched after the first results are shown.
let countsReady = false;

// The labels of facet values, read from the checkboxes the page already shows.
function facetLabels() {
  const found = {};
  for (const box of form.querySelectorAll("fieldset[data-facet] input[type=checkbox]")) {
    found[box.name] = found[box.name] || {};
    found[box.name][box.value] = box.parentElement.querySelector(".facet-label").textContent;
  }
  return found;
}

function stateFromForm() {
  const filters = {};
  for (const name of facetNames) {
    const values = Array.from(form.querySelectorAll(`input[name="${name}"]:checked`), (box) => box.value);
    if (values.length) filters[name] = values;
  }
  return { query: input.value.trim(), filters };
}

function applyUrlToForm() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  for (const box of form.querySelectorAll("input[type=checkbox]")) {
    box.checked = params.getAll(box.name).includes(box.value);
  }
}

function writeUrl(state) {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  for (const [name, values] of Object.entries(state.filters)) {
    for (const value of values) params.append(name, value);
  }
  const search = params.toString();
  const url = window.location.pathname + (search ? `?${search}` : "");
  if (url !== window.location.pathname + window.location.search) {
    window.history.replaceState(null, "", url);
  }
}

function pagefindFilters(filters) {
  const result = {};
  for (const [name, values] of Object.entries(filters)) result[name] = { any: values };
  return result;
}

function label(facet, key) {
  return (labels[facet] && labels[facet][key]) || key;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Each factsheet ends with the word forms kaart adds so that plurals and compound parts match
// (hidden, <p id="zoekvormen">). Pagefind takes its excerpt where matches are densest, which is
// often that list of loose words; the excerpt is taken from the visible text between the summary
// (<p id="samenvatting">: the title above it is the result's heading already) and that list.
const EXCERPT_WORDS = 24;
const TEXT_START_ID = "samenvatting";
const HIDDEN_FORMS_ID = "zoekvormen";

function normalWord(word) {
  return word.toLocaleLowerCase("nl").replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

// Scores of the visible words: direct matches, and words that contain a form matched in the hidden
// list (a search for "subsidie" matches the hidden part "subsidie" of the visible "loonsubsidie").
function visibleScores(words, weighted, first, cut) {
  const scores = new Map();
  const forms = new Map();
  const add = (at, score) => scores.set(at, (scores.get(at) || 0) + score);
  for (const { location, balanced_score: score } of weighted) {
    if (location >= first && location < cut) add(location, score);
    else if (location >= cut && location < words.length) forms.set(normalWord(words[location]), score);
  }
  if (forms.size) {
    for (let at = first; at < cut; at++) {
      if (scores.has(at)) continue;
      const word = normalWord(words[at]);
      for (const [form, score] of forms) {
        const contains = form.length >= 4 && word.includes(form);
        const inflected = word.length >= 5 && form.startsWith(word) && form.length - word.length <= 2;
        if (contains || inflected) {
          add(at, score);
          break;
        }
      }
    }
  }
  return scores;
}

// The window of `length` words in [first, count) with the highest total score, its matches centred.
function densestStart(scores, first, count, length) {
  if (!scores.size || count - first <= length) return first;
  const at = [...scores.keys()].sort((a, b) => a - b);
  let best = 0;
  let bestFirst = at[0];
  let bestLast = at[0];
  for (let i = 0; i < at.length; i++) {
    let sum = 0;
    let j = i;
    for (; j < at.length && at[j] < at[i] + length; j++) sum += scores.get(at[j]);
    if (sum > best) [best, bestFirst, bestLast] = [sum, at[i], at[j - 1]];
  }
  const start = bestFirst - Math.floor((length - (bestLast - bestFirst + 1)) / 2);
  return Math.max(first, Math.min(start, count - length));
}

// Built from text nodes and <mark> only, so no markup from a factsheet can reach the live page.
function excerptNode(data) {
  const paragraph = element("p", "result-excerpt");
  const words = (data.content || "").split(/[\r\n\s]+/g);
  const anchor = (id) => (data.anchors || []).find((a) => a.id === id);
  const cut = Math.min(anchor(HIDDEN_FORMS_ID)?.location ?? words.length, words.length);
  const first = Math.min(anchor(TEXT_START_ID)?.location ?? 0, cut);
  const scores = visibleScores(words, data.weighted_locations || [], first, cut);
  const start = densestStart(scores, first, cut, EXCERPT_WORDS);
  const end = Math.min(cut, start + EXCERPT_WORDS);
  let text = start > first ? "\u2026 " : "";
  for (let at = start; at < end; at++) {
    const space = at + 1 < end ? " " : "";
    if (scores.has(at)) {
      // Punctuation around a matched word ("premie," "(IBO)") stays outside its mark.
      const [, before, core, after] = words[at].match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su);
      if (core) {
        paragraph.append(document.createTextNode(text + before), element("mark", "", core));
        text = after + space;
      } else {
        paragraph.append(document.createTextNode(text), element("mark", "", words[at]));
        text = space;
      }
    } else {
      text += words[at] + space;
    }
  }
  if (end < cut) text += " \u2026";
  paragraph.append(document.createTextNode(text));
  return paragraph;
}

function badges(data) {
  const list = element("ul", "tags result-badges");
  list.setAttribute("aria-label", "Kenmerken");
  const filters = data.filters || {};
  for (const type of filters.type || []) list.append(element("li", "tag-type", kindLabels[type] || type));
  for (const kind of filters.soort || []) list.append(element("li", `tag-soort tag-${kind}`, label("soort", kind)));
  for (const place of filters.situatie || []) list.append(element("li", "tag-situatie", label("situatie", place)));
  for (const status of filters.status || []) {
    const item = element("li", `tag-status status-${status}`, label("status", status));
    list.append(item);
  }
  return list;
}

function resultItem(data) {
  const item = element("li", "result");
  const heading = element("h2", "result-title");
  const link = element("a", "", (data.meta && data.meta.title) || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading, badges(data));
  if (data.content) item.append(excerptNode(data));
  return item;
}

function announce(total, state) {
  const what = total === 1 ? "1 fiche gevonden" : `${total} fiches gevonden`;
  const parts = [];
  if (state.query) parts.push(`voor \u201c${state.query}\u201d`);
  const filterCount = Object.values(state.filters).reduce((sum, values) => sum + values.length, 0);
  if (filterCount) parts.push(`met ${filterCount} filter${filterCount === 1 ? "" : "s"}`);
  statusLine.textContent = `${what}${parts.length ? " " + parts.join(" ") : ""}.`;
}

function updateCounts(counts) {
  if (!countsReady) return;
  for (const span of form.querySelectorAll("[data-count-for]")) {
    const [name, key] = span.dataset.countFor.split(":");
    const count = counts && counts[name] ? counts[name][key] || 0 : 0;
    span.textContent = `(${count})`;
  }
}

async function showMore() {
  const firstPage = current.length <= PAGE_SIZE ? PAGE_SIZE : FIRST_PAGE;
  const batch = current.slice(shown, shown + (shown === 0 ? firstPage : PAGE_SIZE));
  const mine = generation;
  const data = await Promise.all(batch.map((result) => result.data()));
  if (mine !== generation) return;
  const first = shown === 0 ? null : list.children.length;
  for (const entry of data) list.append(resultItem(entry));
  shown += batch.length;
  moreButton.hidden = shown >= current.length;
  if (first !== null && list.children[first]) list.children[first].querySelector("a").focus();
}

async function run() {
  if (!pagefind) return; // start() runs the search once the index is loaded
  const state = stateFromForm();
  writeUrl(state);
  const mine = ++generation;
  if (!state.query && !Object.keys(state.filters).length) {
    list.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent = "Typ een zoekterm of kies een filter.";
    await loadCounts();
    return;
  }
  const search = await pagefind.search(state.query || null, { filters: pagefindFilters(state.filters) });
  if (mine !== generation || search === null) return;
  current = search.results;
  shown = 0;
  list.replaceChildren();
  updateCounts(search.filters);
  await showMore();
  if (mine === generation) announce(current.length, state);
}

// Fetch the filter index once, then show the counts for what is on screen now.
async function loadCounts() {
  const mine = generation;
  const all = await pagefind.filters();
  countsReady = true;
  if (mine !== generation) return;
  const state = stateFromForm();
  if (!state.query && !Object.keys(state.filters).length) {
    updateCounts(all);
    return;
  }
  const search = await pagefind.search(state.query || null, { filters: pagefindFilters(state.filters) });
  if (mine === generation && search !== null) updateCounts(search.filters);
}

let timer = null;
function runSoon() {
  window.clearTimeout(timer);
  timer = window.setTimeout(run, 200);
}

async function start() {
  // The URL's state first, so nothing the reader types while the index loads is overwritten.
  applyUrlToForm();
  input.addEventListener("input", runSoon);
  form.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  form.addEventListener("reset", () => window.setTimeout(run, 0));
  moreButton.addEventListener("click", showMore);
  const bundleUrl = new URL(form.dataset.pagefind, document.baseURI);
  try {
    const loaded = await import(bundleUrl.href);
    // Result URLs are site-absolute; the site may live in a subfolder, next to /pagefind/.
    // noWorker: Pagefind 1.5 would fetch a 12 KB web worker first; a search of this size runs
    // on the page in milliseconds.
    await loaded.options({ baseUrl: new URL("../", bundleUrl).pathname, excerptLength: EXCERPT_WORDS, noWorker: true });
    pagefind = loaded;
  } catch (error) {
    statusLine.textContent = "De zoekindex kon niet geladen worden. Blader via de overzichten.";
    return;
  }
  await run();
  if (!countsReady) await loadCounts();
}

start();
