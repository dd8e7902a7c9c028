// The live list's search, filters and order: each control maps to one `availableModels`
// argument, and the whole state lives in the URL's query string (reload and back keep it).
import { html, live, nothing } from "../core/lit.js";
import { CAPABILITIES, capability } from "../core/format.js";

export const SORTS = [
  ["", "Provider's order"],
  ["NAME", "Name"],
  ["CREATED_AT", "Release date"],
  ["INPUT_PRICE", "Input price"],
  ["OUTPUT_PRICE", "Output price"],
  ["CONTEXT_WINDOW", "Context window"],
  ["ESTIMATED_COST", "Cost of a request"],
];
export const PAGE_SIZES = [["25", "25"], ["50", "50"], ["100", "100"], ["200", "200"], ["all", "All"]];
const MODALITIES = ["text", "image", "audio", "video", "file"];
const CONTEXTS = [["", "any"], ["8000", "≥ 8k"], ["32000", "≥ 32k"], ["128000", "≥ 128k"], ["200000", "≥ 200k"], ["1000000", "≥ 1M"]];

export const DEFAULTS = {
  q: "", cap: [], in: "", out: "", maxIn: "", maxOut: "", minCtx: "", free: false,
  saved: "", active: "", sort: "", dir: "ASC", size: "50",
  tin: "10000", tout: "1000", maxCost: "",
};
const TOKENS = /^[0-9]{1,12}$/;

/** The filters in a URL query string. */
export function fromQuery(query) {
  const read = (key) => query.get(key) ?? DEFAULTS[key];
  return {
    ...DEFAULTS,
    q: read("q"),
    cap: (query.get("cap") ?? "").split(",").filter((c) => CAPABILITIES.includes(c)),
    in: read("in"), out: read("out"), maxIn: read("maxIn"), maxOut: read("maxOut"),
    minCtx: read("minCtx"), free: query.get("free") === "1",
    saved: read("saved"), active: read("active"),
    sort: read("sort"), dir: query.get("dir") === "DESC" ? "DESC" : "ASC",
    size: PAGE_SIZES.some(([size]) => size === query.get("size")) ? query.get("size") : DEFAULTS.size,
    tin: TOKENS.test(query.get("tin") ?? "") ? query.get("tin") : DEFAULTS.tin,
    tout: TOKENS.test(query.get("tout") ?? "") ? query.get("tout") : DEFAULTS.tout,
    maxCost: read("maxCost"),
  };
}

export function toQuery(filters) {
  return {
    q: filters.q, cap: filters.cap.join(","), in: filters.in, out: filters.out,
    maxIn: filters.maxIn, maxOut: filters.maxOut, minCtx: filters.minCtx, free: filters.free ? "1" : "",
    saved: filters.saved, active: filters.active, sort: filters.sort,
    dir: filters.sort && filters.dir === "DESC" ? "DESC" : "", size: filters.size === DEFAULTS.size ? "" : filters.size,
    tin: filters.tin === DEFAULTS.tin ? "" : filters.tin, tout: filters.tout === DEFAULTS.tout ? "" : filters.tout,
    maxCost: filters.maxCost,
  };
}

/** `availableModels`' `search`, `filter` and `sort` arguments. */
export function toArguments(filters) {
  const filter = {};
  if (filters.cap.length) filter.capabilities = filters.cap;
  if (filters.in) filter.inputModalities = [filters.in];
  if (filters.out) filter.outputModalities = [filters.out];
  if (filters.maxIn) filter.maxInputPrice = filters.maxIn;
  if (filters.maxOut) filter.maxOutputPrice = filters.maxOut;
  if (filters.minCtx) filter.minContextWindow = Number(filters.minCtx);
  if (filters.free) filter.freeOnly = true;
  if (filters.saved) filter.saved = filters.saved === "yes";
  if (filters.active) filter.active = filters.active === "yes";
  if (filters.maxCost) filter.maxEstimatedCost = filters.maxCost;
  const inputTokens = Number(filters.tin || DEFAULTS.tin);
  const outputTokens = Number(filters.tout || DEFAULTS.tout);
  return {
    search: filters.q.trim() || null,
    filter,
    sort: filters.sort ? { field: filters.sort, direction: filters.dir } : null,
    costFor: { inputTokens, outputTokens },
    inputTokens,
    outputTokens,
  };
}

/** How many filters (beyond search and order) are set: shown on the panel's summary. */
export function activeCount(filters) {
  return [filters.cap.length > 0, filters.in, filters.out, filters.maxIn, filters.maxOut,
    filters.minCtx, filters.free, filters.saved, filters.active, filters.maxCost].filter(Boolean).length;
}

export function filtersView(filters, change) {
  const set = (key) => (event) => change({ [key]: event.target.type === "checkbox" ? event.target.checked : event.target.value });
  const toggleCapability = (name) => (event) => change({
    cap: event.target.checked ? [...filters.cap, name] : filters.cap.filter((c) => c !== name),
  });
  const count = activeCount(filters);
  const options = (list, value) => list.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`);
  return html`<form class="filters" role="search" @submit=${(event) => event.preventDefault()}>
    <div class="filter-row">
      <div class="field grow">
        <label for="search">Search</label>
        <input id="search" type="search" placeholder="words in the id or name, e.g. gpt mini"
          .value=${live(filters.q)} @input=${set("q")}>
      </div>
      <div class="field">
        <label for="sort">Sort by</label>
        <select id="sort" @change=${set("sort")}>${options(SORTS, filters.sort)}</select>
      </div>
      <div class="field">
        <label for="direction">Order</label>
        <select id="direction" ?disabled=${!filters.sort} @change=${set("dir")}>
          ${options([["ASC", "Ascending"], ["DESC", "Descending"]], filters.dir)}</select>
      </div>
      <div class="field">
        <label for="size">Per page</label>
        <select id="size" @change=${set("size")}>${options(PAGE_SIZES, filters.size)}</select>
      </div>
    </div>
    <details class="filter-panel" ?open=${count > 0}>
      <summary>Filters${count ? html` <span class="badge info">${count}</span>` : nothing}</summary>
      <fieldset class="capabilities">
        <legend>Capabilities (all must hold)</legend>
        ${CAPABILITIES.map((name) => html`<label class="check"><input type="checkbox" name="cap" value=${name}
          .checked=${live(filters.cap.includes(name))} @change=${toggleCapability(name)}> ${capability(name)}</label>`)}
      </fieldset>
      <div class="grid">
        <div class="field"><label for="in">Input modality</label>
          <select id="in" @change=${set("in")}>${options([["", "any"], ...MODALITIES.map((m) => [m, m])], filters.in)}</select></div>
        <div class="field"><label for="out">Output modality</label>
          <select id="out" @change=${set("out")}>${options([["", "any"], ...MODALITIES.map((m) => [m, m])], filters.out)}</select></div>
        <div class="field"><label for="maxIn">Max input $/1M</label>
          <input id="maxIn" inputmode="decimal" pattern="[0-9]*[.]?[0-9]*" placeholder="any" .value=${live(filters.maxIn)} @change=${set("maxIn")}></div>
        <div class="field"><label for="maxOut">Max output $/1M</label>
          <input id="maxOut" inputmode="decimal" pattern="[0-9]*[.]?[0-9]*" placeholder="any" .value=${live(filters.maxOut)} @change=${set("maxOut")}></div>
        <div class="field"><label for="minCtx">Context window</label>
          <select id="minCtx" @change=${set("minCtx")}>${options(CONTEXTS, filters.minCtx)}</select></div>
        <div class="field"><label for="saved">Saved here</label>
          <select id="saved" @change=${set("saved")}>${options([["", "any"], ["yes", "saved"], ["no", "not saved"]], filters.saved)}</select></div>
        <div class="field"><label for="active">Active here</label>
          <select id="active" @change=${set("active")}>${options([["", "any"], ["yes", "active"], ["no", "not active"]], filters.active)}</select></div>
        <div class="field"><label for="tin">Request: input tokens</label>
          <input id="tin" inputmode="numeric" pattern="[0-9]*" .value=${live(filters.tin)} @change=${set("tin")}></div>
        <div class="field"><label for="tout">Request: output tokens</label>
          <input id="tout" inputmode="numeric" pattern="[0-9]*" .value=${live(filters.tout)} @change=${set("tout")}></div>
        <div class="field"><label for="maxCost">Max cost of a request $</label>
          <input id="maxCost" inputmode="decimal" pattern="[0-9]*[.]?[0-9]*" placeholder="any" .value=${live(filters.maxCost)} @change=${set("maxCost")}></div>
        <label class="check free"><input type="checkbox" .checked=${live(filters.free)} @change=${set("free")}> Free only</label>
      </div>
      ${count ? html`<button type="button" class="quiet" @click=${() => change({ ...DEFAULTS, q: filters.q, sort: filters.sort, dir: filters.dir, size: filters.size })}>Clear filters</button>` : nothing}
    </details>
  </form>`;
}
