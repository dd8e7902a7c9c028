// Audit log: who changed what, newest first (needs ai.manage). Filter by actor, provider,
// model, operation or date; page through older entries. Secrets show only as set/changed/removed.
import { gql } from "../core/graphql.js";
import { html, nothing } from "../core/lit.js";
import { Page } from "../core/page.js";
import { badge, empty, errorBox, field, loading, pageHeader } from "../ui/components.js";

const LOG = gql`
  query ConsoleAuditLog($actor: String, $provider: String, $modelId: String, $operation: String,
                        $since: DateTime, $until: DateTime, $first: Int!, $after: String) {
    auditLog(actor: $actor, provider: $provider, modelId: $modelId, operation: $operation,
             since: $since, until: $until, first: $first, after: $after) {
      entries { id at actor via requestId operation provider modelIds details
                changes { modelId field before after } }
      endCursor
    }
  }
`;
const PAGE_SIZE = 25;
const SHOWN_MODELS = 5;
const FILTERS = ["actor", "provider", "modelId", "operation", "since", "until"];

function day(value, end) {
  // a date input's day, as the UTC instant it starts (or, for `until`, the next day's)
  if (!value) return null;
  const moment = new Date(`${value}T00:00:00Z`);
  if (end) moment.setUTCDate(moment.getUTCDate() + 1);
  return moment.toISOString();
}

class Audit extends Page {
  enter() {
    this.filters = {};
    this.cursors = [null]; // the `after` of each page seen: Newer goes back one
    this.load();
  }

  load() {
    const after = this.cursors[this.cursors.length - 1];
    const { since, until, ...exact } = this.filters;
    const variables = { ...exact, since: day(since, false), until: day(until, true), first: PAGE_SIZE, after };
    return this.task("load", async (signal) => {
      this.data = (await this.ctx.api.request(LOG, variables, { signal })).auditLog;
    });
  }

  apply(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    this.filters = Object.fromEntries(
      FILTERS.map((name) => [name, (form.get(name) ?? "").toString().trim() || null]).filter(([, v]) => v));
    this.cursors = [null];
    this.load();
  }

  older() {
    this.cursors = [...this.cursors, this.data.endCursor];
    this.load();
  }

  newer() {
    this.cursors = this.cursors.slice(0, -1);
    this.load();
  }

  render() {
    return html`
      ${pageHeader("Audit log", "Every change made through the API or the command line, who made it and what changed. Written in the same transaction as the change.")}
      ${this.filterForm()}
      ${errorBox(this.error("load"), { retry: () => this.load() })}
      ${this.busy.load && !this.data ? loading("Loading the audit log") : nothing}
      ${this.data ? this.table() : nothing}`;
  }

  filterForm() {
    const input = (name, label, type = "text", hint) =>
      field(label, `audit-${name}`, html`<input id=${`audit-${name}`} name=${name} type=${type} .value=${this.filters[name] ?? ""}>`, hint);
    return html`<form class="card filters" @submit=${(event) => this.apply(event)} aria-label="Filter the audit log">
      <div class="grid">
        ${input("actor", "Actor", "text", "A token's name, or cli:<user>.")}
        ${input("provider", "Provider")}
        ${input("modelId", "Model id")}
        ${input("operation", "Operation", "text", "saveModel, bulkSync, updateProvider, …")}
        ${input("since", "From", "date")}
        ${input("until", "To", "date")}
      </div>
      <div class="actions"><button type="submit" class="primary">Apply filters</button></div>
    </form>`;
  }

  table() {
    const { entries, endCursor } = this.data;
    if (!entries.length) return empty("No entry matches.");
    return html`<section aria-labelledby="audit-title">
      <h2 id="audit-title" class="visually-hidden">Entries</h2>
      <div class="table-wrap"><table class="data audit">
        <caption class="visually-hidden">Audit log entries, newest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Operation</th>
          <th scope="col">Provider</th><th scope="col">Models</th><th scope="col">Changes</th></tr></thead>
        <tbody>${entries.map((entry) => this.row(entry))}</tbody>
      </table></div>
      <nav class="pager" aria-label="Audit log pages">
        <button type="button" ?disabled=${this.cursors.length < 2 || this.busy.load} @click=${() => this.newer()}>Newer</button>
        <span class="muted">Page ${this.cursors.length}</span>
        <button type="button" ?disabled=${!endCursor || this.busy.load} @click=${() => this.older()}>Older</button>
      </nav>
    </section>`;
  }

  row(entry) {
    const models = entry.modelIds;
    const more = models.length - SHOWN_MODELS;
    return html`<tr data-entry=${entry.id}>
      <td data-label="When"><time datetime=${entry.at}>${new Date(entry.at).toLocaleString()}</time></td>
      <td data-label="Actor">${entry.actor} ${badge(entry.via, "neutral")}</td>
      <td data-label="Operation"><code>${entry.operation}</code></td>
      <td data-label="Provider">${entry.provider ? html`<code>${entry.provider}</code>` : html`<span class="muted">—</span>`}</td>
      <td data-label="Models">${models.length
        ? html`${models.slice(0, SHOWN_MODELS).map((id) => html`<code>${id}</code> `)}${more > 0 ? html`<span class="muted">and ${more} more</span>` : nothing}`
        : html`<span class="muted">—</span>`}</td>
      <td data-label="Changes">${entry.changes.length
        ? html`<ul class="changes">${entry.changes.map((c) => html`<li>${c.modelId ? html`<code>${c.modelId}</code> ` : nothing}<strong>${c.field}</strong>: ${c.before ?? "—"} → ${c.after ?? "—"}</li>`)}</ul>`
        : this.details(entry.details)}</td>
    </tr>`;
  }

  details(details) {
    const shown = Object.entries(details ?? {}).filter(([, value]) => value !== null);
    if (!shown.length) return html`<span class="muted">—</span>`;
    return html`<span class="muted">${shown.map(([name, value]) => `${name}: ${value}`).join(", ")}</span>`;
  }
}

export default {
  path: "/audit",
  title: "Audit log",
  nav: "Audit log",
  requires: "ai.manage",
  create: (ctx) => new Audit(ctx),
};
