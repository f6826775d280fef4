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
const help = document.getElementById("zoekhulp");
const wayOn = document.getElementById("zoekverder");
const bundleBase = new URL(".", new URL(form.dataset.pagefind, document.baseURI)).href;
// A query the reader asked to search as typed, without correcting it.
let literal = null;

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

// The filters fold away on a narrow screen, behind a summary that counts the ones that are on.
const filterPanel = document.getElementById("filters");
const filterCount = document.getElementById("filter-aantal");
if (window.matchMedia("(max-width: 48rem)").matches) filterPanel.open = false;

function showFilterCount(filters) {
  const count = Object.values(filters).reduce((sum, values) => sum + values.length, 0);
  filterCount.textContent = count ? `(${count} actief)` : "";
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

function announce(total, state, used) {
  const what = total === 1 ? "1 fiche gevonden" : `${total} fiches gevonden`;
  const parts = [];
  if (state.query) parts.push(`voor \u201c${used || state.query}\u201d`);
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

// What a coach can use now comes first among the first results shown: a running initiative before
// one that ended or an organisation, a complete factsheet before a thin one, at the same score.
function prior(data) {
  const filters = data.filters || {};
  const ended = ["uitdovend", "afgeschaft"].includes((filters.status || [])[0]);
  const organisation = (filters.type || [])[0] === "organisatie";
  const missing = Math.min(Number((data.meta && data.meta.ontbreekt) || 0), 5);
  return (ended || organisation ? 0.7 : 1) * (1 - 0.05 * missing);
}

function rankFirstPage(batch, data) {
  const pairs = batch.map((result, at) => ({ result, data: data[at], at }));
  const pinned = pairs.filter((pair) => pair.result.pinned);
  const rest = pairs.filter((pair) => !pair.result.pinned);
  rest.sort((a, b) => b.result.score * prior(b.data) - a.result.score * prior(a.data) || a.at - b.at);
  return pinned.concat(rest);
}

async function showMore() {
  const firstPage = current.length <= PAGE_SIZE ? PAGE_SIZE : FIRST_PAGE;
  let batch = current.slice(shown, shown + (shown === 0 ? firstPage : PAGE_SIZE));
  const mine = generation;
  let data = await Promise.all(batch.map((result) => result.data()));
  if (mine !== generation) return;
  if (shown === 0) {
    const ranked = rankFirstPage(batch, data);
    batch = ranked.map((pair) => pair.result);
    data = ranked.map((pair) => pair.data);
    current.splice(0, batch.length, ...batch);
  }
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
  showFilterCount(state.filters);
  const mine = ++generation;
  if (!state.query && !Object.keys(state.filters).length) {
    list.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent = "Typ een zoekterm of kies een filter.";
    showHelp(null, state);
    await loadCounts();
    return;
  }
  const found = await findResults(state, () => mine !== generation);
  if (mine !== generation || found === null) return;
  current = found.results;
  shown = 0;
  list.replaceChildren();
  updateCounts(found.filters);
  await showMore();
  if (mine !== generation) return;
  announce(current.length, state, found.used);
  await showHelp(found, state);
}

// ---- Finding what a coach means -------------------------------------------------------------
// Pagefind finds pages with all the words. Around it: an exact name first ("IBO" opens on IBO, not
// on IBO-T whose title says IBO twice), a misspelt word corrected from the factsheets' own words
// ("loonpermie"), a question stripped of its question words, and at worst the pages with most of
// the words. The lookups are small files beside the index (kaart/features/search/lookup.py).

const NAME_PREFIX = 3;
const MIN_CORRECTED = 5;  // shorter words are not corrected (kaart/features/search/lookup.py MIN_WORD)
// Twin of kaart.search_lookup.lookup_key.
function lookupKey(text) {
  return text.toLocaleLowerCase("nl").normalize("NFKD").replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9+]+/g, " ").trim();
}

const lookups = new Map();
function lookup(kind, key, length) {
  const part = key.replace(/ /g, "").slice(0, length) || "_";
  const url = new URL(`kaart/${kind}/${encodeURIComponent(part)}.json`, bundleBase).href;
  if (!lookups.has(url)) {
    lookups.set(url, fetch(url).then((response) => (response.ok ? response.json() : null)).catch(() => null));
  }
  return lookups.get(url);
}

async function exactIds(query) {
  const key = lookupKey(query);
  if (!key) return [];
  const names = await lookup("namen", key, NAME_PREFIX);
  if (!names) return [];
  return names[key] || names[key.replace(/ /g, "")] || [];
}

function pinFirst(results, ids) {
  if (!ids.length) return results;
  const rank = new Map(ids.map((id, at) => [id, at]));
  const pinned = results.filter((r) => rank.has(r.id)).sort((a, b) => rank.get(a.id) - rank.get(b.id));
  for (const result of pinned) result.pinned = true;
  return pinned.concat(results.filter((r) => !rank.has(r.id)));
}

async function pagefindSearch(query, state) {
  const filters = pagefindFilters(state.filters);
  let search = await pagefind.search(query || null, { filters });
  if (search === null) return null;
  const ids = query ? await exactIds(query) : [];
  const words = lookupKey(query || "");
  if (ids.length && words !== query.trim().toLocaleLowerCase("nl") && !search.results.some((r) => ids.includes(r.id))) {
    // A name typed as its address ("registratie-dvz"): Pagefind joins the hyphenated words into one
    // that no page has, so the named page is missing; its words, as the name lookup reads them, find it.
    const byWords = await pagefind.search(words, { filters });
    if (byWords !== null && byWords.results.some((r) => ids.includes(r.id))) search = byWords;
  }
  return { results: pinFirst(search.results, ids), filters: search.filters, used: query };
}

// A word Pagefind matched only through a shorter form: none of the first results has a word that
// starts with it ("loonpermie" matched "loon").
async function unmatchedWords(query, results) {
  const words = lookupKey(query).split(" ").filter((w) => w.length >= MIN_CORRECTED && !/^[0-9]+$/.test(w));
  if (!words.length) return [];
  const texts = await Promise.all(results.slice(0, 3).map((r) => r.data()));
  const seen = new Set(texts.flatMap((d) => lookupKey(`${d.content || ""} ${(d.meta && d.meta.title) || ""}`).split(" ")));
  return words.filter((word) => ![...seen].some((w) => w.startsWith(word)));
}

async function findResults(state, stale) {
  const query = state.query;
  const found = await pagefindSearch(query, state);
  if (found === null || stale() || !query || query === literal) return found;
  // null: nothing at all was found, so every content word is a candidate for correction.
  const weak = found.results.length ? await unmatchedWords(query, found.results) : null;
  if ((weak && !weak.length) || stale()) return found;
  // Something was not found as typed: the corrections live in their own file, fetched only now.
  const helper = await helpModule();
  return helper.recover(query, found, weak, state, searchTools, stale);
}

let helpLoaded = null;
function helpModule() {
  helpLoaded = helpLoaded || import(new URL("search-help.js", import.meta.url).href);
  return helpLoaded;
}

// What the help module needs from this page.
const searchTools = {
  pagefindSearch, lookup, lookupKey, element, input, form, help, wayOn,
  pagefind: () => pagefind,
  filtersOf: (state) => pagefindFilters(state.filters),
  search: (query, asTyped) => { literal = asTyped ? query : null; input.value = query; run(); input.focus(); },
  rerun: () => run(),
};

function facetMatch(query) {
  const key = lookupKey(query);
  for (const box of form.querySelectorAll("fieldset[data-facet] input[type=checkbox]")) {
    const text = box.parentElement.querySelector(".facet-label").textContent;
    if (key === lookupKey(box.value) || key === lookupKey(text) || key === lookupKey(text.split("/")[0])) return box;
  }
  return null;
}

async function showHelp(found, state) {
  if (!found || !state.query || !(found.note || found.suggestion || !found.results.length || facetMatch(state.query))) {
    help.replaceChildren();
    help.hidden = true;
    wayOn.hidden = true;
    return;
  }
  const helper = await helpModule();
  helper.showHelp(found, state, searchTools, facetMatch(state.query));
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

async function partsOf(bundleUrl) {
  // Revalidated like Pagefind's own entry file: a new build may bring another number of parts.
  const response = await fetch(new URL("kaart/delen.json", bundleUrl), { cache: "no-cache" });
  if (!response.ok) throw new Error(`delen.json: ${response.status}`);
  return response.json();
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
    // A large site's index comes in parts (kaart/build/pagefind.py), listed in the bundle itself:
    // the page always merges the parts of the bundle it is served with.
    const [loaded, parts] = await Promise.all([import(bundleUrl.href), partsOf(bundleUrl)]);
    // Result URLs are site-absolute; the site may live in a subfolder, next to /pagefind/.
    // noWorker: Pagefind 1.5 would fetch a 12 KB web worker first; a search of this size runs
    // on the page in milliseconds.
    // pageLength 0: Pagefind's default favours short pages, which put stubs above complete factsheets
    // (tests/relevance/queries.yaml: top-1 80% with the default, 98% without the length bonus).
    const options = { baseUrl: new URL("../", bundleUrl).pathname, excerptLength: EXCERPT_WORDS, ranking: { pageLength: 0 } };
    await loaded.options({ ...options, noWorker: true });
    // Pagefind searches all parts and merges the results by score; they share the first part's WebAssembly.
    await Promise.all(parts.map((part) => loaded.mergeIndex(new URL(`${part}/`, bundleUrl).pathname, options)));
    pagefind = loaded;
  } catch (error) {
    statusLine.textContent = "De zoekindex kon niet geladen worden. Blader via de overzichten.";
    return;
  }
  await run();
  if (!countsReady) await loadCounts();
}

start();
