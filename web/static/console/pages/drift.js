// Drift: every saved model of a provider against its live list. Changed figures (stored →
// live), models no longer offered (the dangerous case: still active), announced retirements;
// one click applies the provider's current figures (`syncSavedModels`).
import * as format from "../core/format.js";
import { gql } from "../core/graphql.js";
import { html, nothing, repeat } from "../core/lit.js";
import { Page } from "../core/page.js";
import { pick, remember } from "../core/providers.js";
import { badge, empty, errorBox, loading, pageHeader } from "../ui/components.js";

const REPORT = gql`
  query ConsoleDrift($provider: String!, $retireWithinDays: Int!, $useCache: Boolean!) {
    modelChanges(provider: $provider, retireWithinDays: $retireWithinDays, useCache: $useCache) {
      fetchedAt stale error retireWithinDays total unchanged changed missing activeMissing
      unlisted completeList retiring warnings
      models {
        modelId dbId name isActive status activeMissing retiresAt retiring
        changes { field old new overridden material }
      }
    }
  }
`;
const DEACTIVATE = gql`
  mutation ConsoleDriftDeactivate($provider: String!, $modelIds: [String!]!) {
    setModelsActive(provider: $provider, modelIds: $modelIds, active: false) { changed }
  }
`;
const APPLY = gql`
  mutation ConsoleApplyDrift($provider: String!) {
    syncSavedModels(provider: $provider) { updated unchanged missing activeMissing updatedModelIds missingModelIds }
  }
`;

const FIELDS = {
  NAME: "Name", DESCRIPTION: "Description", INPUT_PRICE: "Input $/1M", OUTPUT_PRICE: "Output $/1M",
  CONTEXT_WINDOW: "Context", MAX_OUTPUT_TOKENS: "Max output", CAPABILITIES: "Capabilities",
};
const STATUS = { CHANGED: "warn", MISSING: "danger", UNLISTED: "neutral", UNCHANGED: "ok" };

function value(field, raw) {
  if (raw === null || raw === undefined) return "—";
  if (field === "INPUT_PRICE" || field === "OUTPUT_PRICE") return format.price(raw);
  if (field === "CONTEXT_WINDOW" || field === "MAX_OUTPUT_TOKENS") return format.tokens(raw);
  if (field === "CAPABILITIES") return raw.map(format.capability).join(", ");
  return String(raw);
}

function change(c) {
  const name = html`<span class="field-name">${FIELDS[c.field] ?? c.field}</span>`;
  const kept = c.overridden ? badge("kept: set by hand", "neutral") : c.material ? nothing : badge("cosmetic", "neutral");
  if (c.field === "DESCRIPTION") {
    return html`<li><details><summary>${name} reworded ${kept}</summary>
      <p><del>${c.old ?? "—"}</del></p><p><ins>${c.new ?? "—"}</ins></p></details></li>`;
  }
  return html`<li>${name}<del>${value(c.field, c.old)}</del>
    <span aria-hidden="true">→</span><span class="visually-hidden">becomes</span>
    <ins>${value(c.field, c.new)}</ins> ${kept}</li>`;
}

class Drift extends Page {
  enter() {
    this.days = Number(this.ctx.query.get("days") ?? 30);
    this.task("providers", async (signal) => {
      this.choices = (await this.ctx.providers.load(signal)).choices;
      this.provider = pick(this.choices, this.ctx.params.provider);
      if (this.provider) this.load(true);
    });
  }

  setDays(days) {
    this.days = Number(days);
    this.ctx.setQuery({ days: this.days === 30 ? "" : this.days });
    this.load(true);
  }

  load(useCache) {
    remember(this.provider);
    const variables = { provider: this.provider, retireWithinDays: this.days, useCache };
    return this.task("report", async (signal) => {
      this.report = (await this.ctx.api.request(REPORT, variables, { signal })).modelChanges;
    });
  }

  switchProvider(slug) {
    this.provider = slug;
    this.report = null;
    history.replaceState(null, "", this.ctx.href(`/drift/${encodeURIComponent(slug)}`) + window.location.search);
    this.load(true);
  }

  async apply() {
    const data = await this.task("apply", (signal) => this.ctx.api.request(APPLY, { provider: this.provider }, { signal }));
    if (data) {
      const r = data.syncSavedModels;
      this.ctx.announce(`Updated ${format.count(r.updated, "model")}${r.missing ? `; ${r.missing} missing left untouched` : ""}.`);
      this.load(true);
    }
  }

  /** An active model the provider dropped: stop routing requests to it. */
  async deactivate(model) {
    const variables = { provider: this.provider, modelIds: [model.modelId] };
    const done = await this.task("apply", (signal) => this.ctx.api.request(DEACTIVATE, variables, { signal }));
    if (done) {
      this.ctx.announce(`Deactivated ${model.modelId}: requests no longer go to it.`);
      this.load(true);
    }
  }

  render() {
    const choices = this.choices ?? [];
    return html`
      ${pageHeader("Drift", "What changed upstream since the models were saved: prices, context windows, capabilities, names; models no longer offered; announced retirements.",
        choices.length ? html`<div class="field inline"><label for="drift-provider">Provider</label>
          <select id="drift-provider" @change=${(event) => this.switchProvider(event.target.value)}>
            ${choices.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this.provider}>${c.label}</option>`)}
          </select></div>` : nothing)}
      ${errorBox(this.errors.providers, { retry: () => this.enter() })}
      ${errorBox(this.errors.apply, { dismiss: () => this.dismiss("apply") })}
      ${errorBox(this.errors.report, { retry: () => this.load(true) })}
      ${this.busy.report ? loading(this.report ? "Comparing again" : "Comparing saved models with the live list") : nothing}
      ${this.report ? this.reportView(this.report) : nothing}`;
  }

  reportView(report) {
    const manage = this.ctx.session.canManage;
    const summary = [
      ["Saved", report.total, "neutral"], ["Changed", report.changed, "warn"], ["Missing", report.missing, "danger"],
      ["Active and missing", report.activeMissing, "danger"], ["Retiring", report.retiring, "warn"],
      ["Unlisted", report.unlisted, "neutral"], ["Unchanged", report.unchanged, "ok"],
    ];
    return html`
      ${report.stale ? html`<div class="notice warn" role="alert"><p><strong>The provider is failing</strong>: compared with its last good list. Upstream error: <code>${report.error}</code></p></div>` : nothing}
      <div class="list-status">
        <p>Compared with the list fetched <time datetime=${report.fetchedAt}>${format.age(report.fetchedAt)}</time></p>
        <div class="field inline"><label for="drift-days">Retiring within</label>
          <select id="drift-days" @change=${(event) => this.setDays(event.target.value)}>
            ${[7, 30, 90, 365].map((d) => html`<option value=${d} ?selected=${d === this.days}>${d} days</option>`)}
          </select></div>
        <button type="button" class="quiet" ?disabled=${this.busy.report} @click=${() => this.load(false)}>Check the provider now</button>
        ${manage ? html`<button type="button" class="primary" ?disabled=${!report.changed || this.busy.apply || report.stale}
          @click=${() => this.apply()}>${this.busy.apply ? "Applying…" : report.changed ? `Apply changes to ${format.count(report.changed, "model")}` : "Nothing to apply"}</button>` : nothing}
      </div>
      <ul class="summary" aria-label="Summary">${summary.map(([label, n, kind]) => html`<li class=${n ? kind : ""}><strong>${n}</strong> ${label}</li>`)}</ul>
      ${report.warnings.length ? html`<div class="notice ${report.activeMissing ? "error" : "warn"}" role=${report.activeMissing ? "alert" : "status"}>
        <ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : nothing}
      ${report.models.length ? this.table(report) : empty("No model of this provider is saved: nothing can drift.")}`;
  }

  table(report) {
    return html`<div class="table-wrap"><table class="data drift">
      <caption class="visually-hidden">Saved models compared with the live list</caption>
      <thead><tr><th scope="col">Model</th><th scope="col">Status</th><th scope="col">What changed (saved → live)</th><th scope="col">Retires</th></tr></thead>
      <tbody>${repeat(report.models, (m) => m.dbId, (m) => html`<tr class=${m.activeMissing ? "alarm" : ""}>
        <td data-label="Model" class="model"><strong>${m.name}</strong><code>${m.modelId}</code>${m.isActive ? badge("active", "ok") : nothing}</td>
        <td data-label="Status">${badge(m.activeMissing ? "active · missing" : m.status.toLowerCase(), STATUS[m.status])}</td>
        <td data-label="What changed">${m.changes.length ? html`<ul class="changes">${m.changes.map(change)}</ul>`
          : m.status === "MISSING" ? html`<span>No longer offered by the provider.</span>
            ${m.activeMissing && this.ctx.session.canManage ? html`<button type="button" class="danger" ?disabled=${this.busy.apply}
              aria-label=${`Deactivate ${m.modelId}`} @click=${() => this.deactivate(m)}>Deactivate</button>` : nothing}` : html`<span class="muted">—</span>`}</td>
        <td data-label="Retires">${m.retiresAt ? html`${format.date(m.retiresAt)}${m.retiring ? html` ${badge("soon", "warn")}` : nothing}` : html`<span class="muted">—</span>`}</td>
      </tr>`)}</tbody>
    </table></div>`;
  }
}

export default {
  path: "/drift/:provider?",
  navPath: "/drift",
  title: "Drift",
  nav: "Drift",
  requires: "ai.manage",
  create: (ctx) => new Drift(ctx),
};
