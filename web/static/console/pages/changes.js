// Changes: the sync log (every refresh of a provider's list: when, how long, what it found)
// and the change feed (models that appeared, vanished or changed upstream, saved ones flagged).
import * as format from "../core/format.js";
import { gql } from "../core/graphql.js";
import { html, nothing, repeat } from "../core/lit.js";
import { Page } from "../core/page.js";
import { badge, empty, errorBox, loading, pageHeader } from "../ui/components.js";

const RUNS = gql`
  query ConsoleSyncRuns($provider: String, $after: String) {
    syncRuns(provider: $provider, first: 20, after: $after) {
      hasMore endCursor
      runs { id provider trigger startedAt durationMs outcome models added removed changed cosmetic baseline error }
    }
  }
`;
const FEED = gql`
  query ConsoleCatalogChanges($provider: String, $includeCosmetic: Boolean!, $savedOnly: Boolean!, $after: String) {
    catalogChanges(provider: $provider, includeCosmetic: $includeCosmetic, savedOnly: $savedOnly, first: 50, after: $after) {
      hasMore endCursor
      changes { id provider modelId name kind at saved active changes { field old new material } }
    }
  }
`;

const KIND = { added: "ok", removed: "danger", changed: "warn", cosmetic: "neutral" };
const FIELDS = {
  input_price: "Input $/1M", output_price: "Output $/1M", context_window: "Context",
  max_output_tokens: "Max output", capabilities: "Capabilities", expires_at: "Retires",
  name: "Name", description: "Description",
};

function shown(field, raw) {
  if (raw === null || raw === undefined) return "—";
  if (field.endsWith("_price")) return format.price(raw);
  if (field === "context_window" || field === "max_output_tokens") return format.tokens(raw);
  if (field === "capabilities") return raw.map(format.capability).join(", ");
  if (field === "expires_at") return format.date(raw);
  return String(raw);
}

function figure(c) {
  const name = html`<span class="field-name">${FIELDS[c.field] ?? c.field}</span>`;
  if (c.field === "description") return html`<li>${name} reworded ${badge("cosmetic", "neutral")}</li>`;
  return html`<li>${name}<del>${shown(c.field, c.old)}</del>
    <span aria-hidden="true">→</span><span class="visually-hidden">becomes</span>
    <ins>${shown(c.field, c.new)}</ins>${c.material ? nothing : html` ${badge("cosmetic", "neutral")}`}</li>`;
}

class Changes extends Page {
  enter() {
    this.provider = this.ctx.query.get("provider") ?? "";
    this.cosmetic = this.ctx.query.get("cosmetic") === "1";
    this.savedOnly = this.ctx.query.get("saved") === "1";
    this.task("providers", async (signal) => {
      this.choices = (await this.ctx.providers.load(signal)).choices;
    });
    this.load();
  }

  variables(after = null) {
    return { provider: this.provider || null, includeCosmetic: this.cosmetic, savedOnly: this.savedOnly, after };
  }

  load() {
    this.runs = null;
    this.feed = null;
    this.task("runs", async (signal) => {
      this.runs = (await this.ctx.api.request(RUNS, { provider: this.provider || null }, { signal })).syncRuns;
    });
    this.task("feed", async (signal) => {
      this.feed = (await this.ctx.api.request(FEED, this.variables(), { signal })).catalogChanges;
    });
  }

  filter(provider, cosmetic, savedOnly = this.savedOnly) {
    this.provider = provider;
    this.cosmetic = cosmetic;
    this.savedOnly = savedOnly;
    this.ctx.setQuery({ provider, cosmetic: cosmetic ? "1" : "", saved: savedOnly ? "1" : "" });
    this.load();
  }

  async more(kind) {
    if (kind === "runs") {
      const page = await this.task("runs", (signal) => this.ctx.api.request(RUNS, { provider: this.provider || null, after: this.runs.endCursor }, { signal }));
      if (page) this.runs = { ...page.syncRuns, runs: [...this.runs.runs, ...page.syncRuns.runs] };
    } else {
      const page = await this.task("feed", (signal) => this.ctx.api.request(FEED, this.variables(this.feed.endCursor), { signal }));
      if (page) this.feed = { ...page.catalogChanges, changes: [...this.feed.changes, ...page.catalogChanges.changes] };
    }
    this.ctx.update();
  }

  render() {
    const choices = this.choices ?? [];
    return html`
      ${pageHeader("Changes", "What every refresh of a provider's list found: the sync log, and the models that appeared, vanished or changed upstream, whether saved or not.",
        html`<div class="field inline"><label for="changes-provider">Provider</label>
          <select id="changes-provider" @change=${(event) => this.filter(event.target.value, this.cosmetic)}>
            <option value="" ?selected=${!this.provider}>All providers</option>
            ${choices.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this.provider}>${c.label}</option>`)}
          </select></div>
          <label class="check"><input type="checkbox" id="changes-cosmetic" .checked=${this.cosmetic}
            @change=${(event) => this.filter(this.provider, event.target.checked)}> Show name and description edits</label>
          <label class="check"><input type="checkbox" id="changes-saved" .checked=${this.savedOnly}
            @change=${(event) => this.filter(this.provider, this.cosmetic, event.target.checked)}> Saved models only</label>`)}
      ${errorBox(this.errors.providers)}
      <section aria-labelledby="feed-title">
        <h2 id="feed-title">Change feed</h2>
        ${errorBox(this.errors.feed, { retry: () => this.load() })}
        ${this.busy.feed && !this.feed ? loading("Reading the change feed") : nothing}
        ${this.feed ? this.feedView(this.feed) : nothing}
      </section>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Sync log</h2>
        ${errorBox(this.errors.runs, { retry: () => this.load() })}
        ${this.busy.runs && !this.runs ? loading("Reading the sync log") : nothing}
        ${this.runs ? this.runsView(this.runs) : nothing}
      </section>`;
  }

  feedView(feed) {
    if (!feed.changes.length) return empty("Nothing has changed upstream yet. Every refresh (scheduled, manual or from the CLI) adds what it finds here.");
    return html`<div class="table-wrap"><table class="data feed">
      <caption class="visually-hidden">Models that appeared, vanished or changed upstream, newest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Model</th><th scope="col">Change</th><th scope="col">What changed</th></tr></thead>
      <tbody>${repeat(feed.changes, (c) => c.id, (c) => html`<tr class=${c.active && c.kind === "removed" ? "alarm" : ""}>
        <td data-label="When"><time datetime=${c.at}>${format.age(c.at)}</time></td>
        <td data-label="Model" class="model"><strong>${c.name}</strong><code>${c.modelId}</code>
          <span class="muted">${c.provider}</span>${c.active ? badge("active", "ok") : c.saved ? badge("saved", "neutral") : nothing}</td>
        <td data-label="Change">${badge(c.kind, KIND[c.kind])}</td>
        <td data-label="What changed">${c.changes.length ? html`<ul class="changes">${c.changes.map(figure)}</ul>` : html`<span class="muted">—</span>`}</td>
      </tr>`)}</tbody></table></div>
      ${feed.hasMore ? html`<button type="button" class="quiet" ?disabled=${this.busy.feed} @click=${() => this.more("feed")}>Older changes</button>` : nothing}`;
  }

  runsView(runs) {
    if (!runs.runs.length) return empty("No refresh has run yet.");
    return html`<div class="table-wrap"><table class="data runs">
      <caption class="visually-hidden">Refreshes, newest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Provider</th><th scope="col">Trigger</th><th scope="col">Outcome</th>
        <th scope="col">Models</th><th scope="col">Added</th><th scope="col">Removed</th><th scope="col">Changed</th><th scope="col">Took</th></tr></thead>
      <tbody>${repeat(runs.runs, (r) => r.id, (r) => html`<tr>
        <td data-label="When"><time datetime=${r.startedAt}>${format.age(r.startedAt)}</time></td>
        <td data-label="Provider">${r.provider}</td>
        <td data-label="Trigger">${r.trigger}</td>
        <td data-label="Outcome">${r.outcome === "ok" ? badge(r.baseline ? "ok · first list" : "ok", "ok") : html`${badge("failed", "danger")} <span class="muted">${r.error}</span>`}</td>
        <td data-label="Models">${r.models ?? "—"}</td>
        <td data-label="Added">${r.added}</td>
        <td data-label="Removed">${r.removed}</td>
        <td data-label="Changed">${r.changed}${r.cosmetic ? html` <span class="muted">(+${r.cosmetic} cosmetic)</span>` : nothing}</td>
        <td data-label="Took">${r.durationMs} ms</td>
      </tr>`)}</tbody></table></div>
      ${runs.hasMore ? html`<button type="button" class="quiet" ?disabled=${this.busy.runs} @click=${() => this.more("runs")}>Older runs</button>` : nothing}`;
  }
}

export default {
  path: "/changes",
  title: "Changes",
  nav: "Changes",
  requires: "ai.read",
  create: (ctx) => new Changes(ctx),
};
