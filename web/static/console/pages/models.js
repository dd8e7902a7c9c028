// Browse a provider's live list (search, filters, order, pages: `availableModels`' own
// arguments) and act on it: save, activate or deactivate one model or a selection, sync the
// N best, clear what is saved. The list is never stored; its age and staleness are shown.
import * as format from "../core/format.js";
import { gql } from "../core/graphql.js";
import { html, nothing } from "../core/lit.js";
import { Page } from "../core/page.js";
import { pool } from "../core/pool.js";
import { pick, remember } from "../core/providers.js";
import { empty, errorBox, loading, pageHeader } from "../ui/components.js";
import { DEFAULTS, filtersView, fromQuery, toArguments, toQuery } from "../ui/model-filters.js";
import { modelTable } from "../ui/model-table.js";
import { selectAll, selectionBar, toolsPanel } from "../ui/model-actions.js";

const LIST = gql`
  query ConsoleModels($provider: String!, $search: String, $filter: ModelFilter, $sort: ModelSort, $first: Int, $after: String,
      $costFor: TokenUsage, $inputTokens: Int = 10000, $outputTokens: Int = 1000) {
    availableModels(provider: $provider, search: $search, filter: $filter, sort: $sort, first: $first, after: $after, costFor: $costFor) {
      totalCount fetchedAt stale error
      pageInfo { hasNextPage endCursor }
      models {
        modelId name capabilities inputPrice outputPrice contextWindow createdAt expiresAt
        sources { field origin }
        estimatedCost(inputTokens: $inputTokens, outputTokens: $outputTokens)
        disagreements { field values { source value } }
        replacementModelId
        savedInDb isActiveInDb
      }
    }
  }
`;
const IDS = gql`
  query ConsoleModelIds($provider: String!, $search: String, $filter: ModelFilter, $costFor: TokenUsage) {
    availableModels(provider: $provider, search: $search, filter: $filter, costFor: $costFor) {
      totalCount
      models { modelId savedInDb isActiveInDb }
    }
  }
`;
const SAVED = gql`
  query ConsoleSavedCounts($provider: String!) {
    savedModels(provider: $provider) { modelId isActive }
  }
`;
const SAVE = gql`
  mutation ConsoleSaveModel($provider: String!, $modelId: String!, $isActive: Boolean) {
    saveModel(provider: $provider, modelId: $modelId, isActive: $isActive) { created model { modelId isActive } }
  }
`;
const SET_ACTIVE = gql`
  mutation ConsoleSetModelsActive($provider: String!, $modelIds: [String!]!, $active: Boolean!) {
    setModelsActive(provider: $provider, modelIds: $modelIds, active: $active) { changed active }
  }
`;
const BULK_SYNC = gql`
  mutation ConsoleBulkSync($provider: String!, $capability: Capability, $limit: Int!, $activateFirst: Boolean!) {
    bulkSync(provider: $provider, capability: $capability, limit: $limit, activateFirst: $activateFirst) { created updated modelIds }
  }
`;
const CLEAR = gql`
  mutation ConsoleClearModels($provider: String!, $keepActive: Boolean!) {
    clearModels(provider: $provider, keepActive: $keepActive) { deleted }
  }
`;
const REFRESH = gql`
  mutation ConsoleRefreshModels($provider: String!) {
    refreshModels(provider: $provider) { count fetchedAt stale error }
  }
`;

const SEARCH_DELAY = 250;
// A long page ("Per page: All") shows its first rows at once and the rest a frame later:
// laying out 549 rows takes longer than the admin should wait to see the top of the list.
const FIRST_ROWS = 100;
const PARALLEL_SAVES = 4;
// Each `saveModel` reads the provider's list afresh (the API has no call that saves a given set
// at once), so saving many is slow: past this many the admin is asked first.
const MANY_SAVES = 25;

class Models extends Page {
  enter() {
    this.filters = fromQuery(this.ctx.query);
    this.cursors = [null];
    this.selection = new Map();
    this.sync = { limit: "20", capability: "", activateFirst: false };
    this.now = Date.now();
    this.clock = setInterval(() => { this.now = Date.now(); this.ctx.update(); }, 30_000);
    // a provider in the URL is listed at once, while the provider picker loads
    this.provider = this.ctx.params.provider ?? null;
    if (this.provider) this.reload();
    this.task("providers", async (signal) => {
      this.choices = (await this.ctx.providers.load(signal)).choices;
      if (this.provider) return;
      this.provider = pick(this.choices, null);
      if (this.provider) {
        history.replaceState(null, "", this.ctx.href(`/models/${encodeURIComponent(this.provider)}`) + window.location.search);
        this.reload();
      }
    });
  }

  leave() {
    clearInterval(this.clock);
    clearTimeout(this.typing);
    this.inflight?.abort();
  }

  get manage() {
    return this.ctx.session.canManage;
  }

  reload() {
    remember(this.provider);
    this.loadList();
    if (this.manage) this.loadSaved();
  }

  loadList() {
    this.inflight?.abort();
    const own = new AbortController();
    this.inflight = own;
    const size = this.filters.size;
    const variables = {
      provider: this.provider,
      ...toArguments(this.filters),
      first: size === "all" ? null : Number(size),
      after: this.cursors.at(-1),
    };
    return this.task("list", async (signal) => {
      const both = AbortSignal.any([signal, own.signal]);
      const data = await this.ctx.api.request(LIST, variables, { signal: both });
      this.list = data.availableModels;
      this.now = Date.now();
      this.refreshSelection(this.list.models);
      this.showRows(this.list);
    });
  }

  /** The first rows of a long page now, the rest a frame later. The time spent rendering
   * (both parts, not the frame between) is recorded as the performance measure
   * "ams:models-render" (the browser tests read it). */
  showRows(list) {
    const rows = list.models.length;
    let start = performance.now();
    let spent = 0;
    const rendered = () => { spent += performance.now() - start; };
    const done = () => performance.measure("ams:models-render", { start, duration: spent, detail: { rows } });
    this.shown = Math.min(rows, FIRST_ROWS);
    this.ctx.afterRender(() => {
      rendered();
      if (this.shown === rows) return done();
      requestAnimationFrame(() => setTimeout(() => {
        if (this.list !== list) return; // a newer list replaced it meanwhile
        this.shown = rows;
        start = performance.now();
        this.ctx.afterRender(() => { rendered(); done(); });
      }));
    });
  }

  loadSaved() {
    return this.task("saved", async (signal) => {
      const data = await this.ctx.api.request(SAVED, { provider: this.provider }, { signal });
      const all = data.savedModels.length;
      this.saved = { all, inactive: data.savedModels.filter((m) => !m.isActive).length };
    });
  }

  change(patch) {
    this.filters = { ...this.filters, ...patch };
    this.cursors = [null];
    this.ctx.setQuery(toQuery(this.filters));
    clearTimeout(this.typing);
    if ("q" in patch && Object.keys(patch).length === 1) {
      this.ctx.update();
      this.typing = setTimeout(() => this.loadList(), SEARCH_DELAY);
    } else {
      this.loadList();
    }
  }

  switchProvider(slug) {
    this.provider = slug;
    this.refreshError = null;
    this.selection = new Map();
    this.cursors = [null];
    this.list = null;
    history.replaceState(null, "", this.ctx.href(`/models/${encodeURIComponent(slug)}`) + window.location.search);
    this.reload();
  }

  page(step) {
    if (step > 0 && this.list?.pageInfo.hasNextPage) this.cursors = [...this.cursors, this.list.pageInfo.endCursor];
    if (step < 0 && this.cursors.length > 1) this.cursors = this.cursors.slice(0, -1);
    this.loadList().then(() => document.getElementById("models-title")?.scrollIntoView({ block: "start" }));
  }

  toggle(model, on) {
    const selection = new Map(this.selection);
    if (on) selection.set(model.modelId, model);
    else selection.delete(model.modelId);
    this.selection = selection;
    this.ctx.update();
  }

  togglePage(on) {
    const selection = new Map(this.selection);
    for (const model of this.list.models) {
      if (on) selection.set(model.modelId, model);
      else selection.delete(model.modelId);
    }
    this.selection = selection;
    this.ctx.update();
  }

  async selectAllFiltered() {
    const { search, filter, costFor } = toArguments(this.filters);
    await this.task("select", async (signal) => {
      const data = await this.ctx.api.request(IDS, { provider: this.provider, search, filter, costFor }, { signal });
      this.selection = new Map(data.availableModels.models.map((m) => [m.modelId, m]));
      this.ctx.announce(`Selected all ${format.count(this.selection.size, "filtered model")}.`);
    });
  }

  /** Selected models seen again in a fresh page take its saved/active state. */
  refreshSelection(models) {
    if (!this.selection.size) return;
    const selection = new Map(this.selection);
    for (const model of models) if (selection.has(model.modelId)) selection.set(model.modelId, model);
    this.selection = selection;
  }

  clearSelection() {
    this.selection = new Map();
    this.ctx.update();
  }

  /** Save, activate or deactivate `models`: unsaved ones are saved (a few at a time), saved
   * ones switched in one `setModelsActive`. */
  async apply(action, models) {
    const provider = this.provider;
    const unsaved = models.filter((m) => !m.savedInDb);
    const saved = models.filter((m) => m.savedInDb);
    const work = action === "deactivate" ? [] : unsaved;
    if (work.length > MANY_SAVES) {
      const sure = await this.ctx.confirm({
        title: `Save ${format.count(work.length, "model")} one by one?`,
        body: `The API saves one model per call, reading ${provider}'s list afresh each time, so this takes a while. To save the best N of a capability at once, use Bulk sync instead.`,
        confirm: `Save ${work.length}`,
      });
      if (!sure) return;
    }
    const label = { save: "Saving", activate: "Activating", deactivate: "Deactivating" }[action];
    this.progress = { label, done: 0, total: work.length + (saved.length && action !== "save" ? 1 : 0) };
    const result = await this.task("act", async (signal) => {
      const isActive = action === "activate" ? true : null;
      const outcome = await pool(work, PARALLEL_SAVES, (model) =>
        this.ctx.api.request(SAVE, { provider, modelId: model.modelId, isActive }, { signal }),
      (done) => { this.progress = { ...this.progress, done }; this.ctx.update(); });
      let changed = 0;
      if (saved.length && action !== "save") {
        const ids = saved.map((m) => m.modelId);
        const data = await this.ctx.api.request(SET_ACTIVE, { provider, modelIds: ids, active: action === "activate" }, { signal });
        changed = data.setModelsActive.changed;
      }
      if (outcome.failed.length) {
        const { item, error } = outcome.failed[0];
        error.message = `${outcome.failed.length} of ${work.length} could not be saved; ${item.modelId}: ${error.message}`;
        throw error;
      }
      return { saved: outcome.done, changed };
    });
    this.progress = null;
    if (result) {
      const verb = { save: "Saved", activate: "Activated", deactivate: "Deactivated" }[action];
      const n = action === "save" ? result.saved : result.saved + result.changed;
      this.ctx.announce(`${verb} ${format.count(action === "deactivate" ? result.changed : n, "model")}.`);
      if (models.length > 1) this.selection = new Map();
    }
    this.reload();
  }

  async bulkSync() {
    const limit = Number(this.sync.limit);
    const variables = { provider: this.provider, capability: this.sync.capability || null, limit, activateFirst: this.sync.activateFirst };
    const data = await this.task("sync", (signal) => this.ctx.api.request(BULK_SYNC, variables, { signal }));
    if (data) {
      const { created, updated } = data.bulkSync;
      this.ctx.announce(`Synced ${format.count(created + updated, "model")}: ${created} new, ${updated} updated.`);
      this.reload();
    }
  }

  async clear(keepActive) {
    const n = keepActive ? this.saved.inactive : this.saved.all;
    const sure = await this.ctx.confirm({
      title: keepActive ? `Delete ${format.count(n, "inactive saved model")}?` : `Delete all ${format.count(n, "saved model")}?`,
      body: keepActive
        ? `The ${n} saved models of ${this.provider} that are not active will be deleted. Active models stay.`
        : `Every saved model of ${this.provider} will be deleted, including ${this.saved.all - this.saved.inactive} active ones: the app will have nothing of ${this.provider} to route to.`,
      confirm: keepActive ? `Delete ${n} inactive` : `Delete all ${n}`,
      danger: true,
    });
    if (!sure) return;
    const data = await this.task("clear", (signal) =>
      this.ctx.api.request(CLEAR, { provider: this.provider, keepActive }, { signal }));
    if (data) {
      this.ctx.announce(`Deleted ${format.count(data.clearModels.deleted, "saved model")}.`);
      this.selection = new Map();
      this.reload();
    }
  }

  async refresh() {
    const data = await this.task("refresh", (signal) =>
      this.ctx.api.request(REFRESH, { provider: this.provider }, { signal }));
    if (data) {
      const result = data.refreshModels;
      this.refreshError = result.error; // shown in the stale banner until a refresh works
      this.ctx.announce(result.error
        ? `The provider failed (${result.error}); the last good list is still served.`
        : `Fetched ${format.count(result.count, "model")} from ${this.provider}.`);
      this.loadList();
    }
  }

  render() {
    const choices = this.choices ?? [];
    return html`
      ${pageHeader("Models", "What the provider offers right now, read live (cached, never stored), with what is saved and active here.",
        choices.length ? html`<div class="field inline">
          <label for="provider">Provider</label>
          <select id="provider" @change=${(event) => this.switchProvider(event.target.value)}>
            ${choices.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this.provider}>${c.label}</option>`)}
          </select></div>` : nothing)}
      ${errorBox(this.errors.providers, { retry: () => this.enter() })}
      ${this.busy.providers ? loading("Loading providers") : nothing}
      ${this.provider ? this.body() : nothing}`;
  }

  body() {
    const list = this.list;
    return html`
      ${filtersView(this.filters, (patch) => this.change(patch))}
      ${list ? this.status(list) : nothing}
      ${this.manage ? toolsPanel(this) : nothing}
      ${errorBox(this.error("act", "sync", "clear", "refresh", "select", "saved"), { dismiss: () => { for (const k of ["act", "sync", "clear", "refresh", "select", "saved"]) this.errors[k] = null; this.ctx.update(); } })}
      ${errorBox(this.errors.list, { retry: () => this.loadList() })}
      <h2 id="models-title" class="visually-hidden">Models</h2>
      ${this.manage ? selectionBar(this) : nothing}
      ${this.busy.list ? loading(list ? "Updating the list" : `Reading ${this.provider}'s list`) : nothing}
      ${list ? this.table(list) : nothing}`;
  }

  status(list) {
    const fetched = html`<time datetime=${list.fetchedAt} title=${format.dateTime(list.fetchedAt)}>${format.age(list.fetchedAt, this.now)}</time>`;
    const failure = list.stale ? list.error : this.refreshError;
    return html`
      ${failure ? html`<div class="notice warn" role="alert">
        <p><strong>The provider is failing; this is its last good list</strong>, fetched ${fetched}.
          Upstream error: <code>${failure}</code></p>
        ${this.manage ? html`<button type="button" @click=${() => this.refresh()} ?disabled=${this.busy.refresh}>${this.busy.refresh ? "Refreshing…" : "Try the provider again"}</button>` : nothing}
      </div>` : nothing}
      <div class="list-status">
        <p><strong>${format.count(list.totalCount, "model")}</strong>${this.filtered() ? " match" : ""} · fetched ${fetched}</p>
        ${this.manage ? selectAll(this) : nothing}
        ${this.manage ? html`<button type="button" class="quiet" @click=${() => this.refresh()} ?disabled=${this.busy.refresh}>
          ${this.busy.refresh ? "Refreshing…" : "Refresh from provider"}</button>` : nothing}
      </div>`;
  }

  filtered() {
    const { q, cap, in: input, out, maxIn, maxOut, minCtx, free, saved, active } = this.filters;
    return Boolean(q || cap.length || input || out || maxIn || maxOut || minCtx || free || saved || active);
  }

  table(list) {
    if (!list.models.length) {
      return empty(this.filtered() ? "No model matches these filters." : "The provider lists no model.",
        this.filtered() ? html`<button type="button" @click=${() => this.change({ ...DEFAULTS, size: this.filters.size })}>Clear search and filters</button>` : nothing);
    }
    const pageNumber = this.cursors.length;
    const size = this.filters.size === "all" ? list.totalCount : Number(this.filters.size);
    const first = (pageNumber - 1) * size + 1;
    return html`
      ${modelTable({
        models: list.models.length > this.shown ? list.models.slice(0, this.shown) : list.models, filters: this.filters, selection: this.selection, manage: this.manage,
        busy: Boolean(this.busy.act), now: this.now,
        on: {
          sort: (field, dir) => this.change({ sort: field, dir }),
          toggle: (model, on) => this.toggle(model, on),
          togglePage: (on) => this.togglePage(on),
          act: (model, action) => this.apply(action, [model]),
        },
      })}
      <nav class="pager" aria-label="Pages">
        <button type="button" ?disabled=${pageNumber === 1 || this.busy.list} @click=${() => this.page(-1)}>Previous</button>
        <span>${first}–${first + list.models.length - 1} of ${list.totalCount}</span>
        <button type="button" ?disabled=${!list.pageInfo.hasNextPage || this.busy.list} @click=${() => this.page(1)}>Next</button>
      </nav>`;
  }
}

export default {
  path: "/models/:provider?",
  navPath: "/models",
  title: "Models",
  nav: "Models",
  requires: "ai.manage",
  create: (ctx) => new Models(ctx),
};
