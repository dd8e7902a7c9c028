// Curation: name saved models for end users (display name, notes, tags), probe them, fill the
// slots requests are routed by (ordered fallbacks), and test a provider's URL and key first.
import { gql } from "../core/graphql.js";
import { html, nothing, repeat } from "../core/lit.js";
import { Page } from "../core/page.js";
import { badge, empty, errorBox, loading, pageHeader } from "../ui/components.js";

const MODELS = gql`
  query ConsoleCuration {
    savedModels { dbId provider modelId name displayName notes tags isActive capabilities
      lastProbe { ok status latencyMs error p50Ms p95Ms } }
    slots { name capability models { provider modelId displayName } }
  }
`;
const CURATE = gql`
  mutation ConsoleCurate($provider: String!, $modelId: String!, $displayName: String, $notes: String, $tags: [String!]) {
    curateModel(provider: $provider, modelId: $modelId, displayName: $displayName, notes: $notes, tags: $tags) { modelId }
  }
`;
const PROBE = gql`
  mutation ConsoleProbe($provider: String!, $modelId: String!) {
    testModel(provider: $provider, modelId: $modelId) { ok status latencyMs error }
  }
`;
const SET_SLOT = gql`
  mutation ConsoleSetSlot($name: String!, $models: [SlotModelInput!]!, $allowMismatch: Boolean) {
    setSlot(name: $name, models: $models, allowMismatch: $allowMismatch) { name }
  }
`;
const ROUTE = gql`
  query ConsoleRoute($slot: String!) {
    route(slot: $slot) { model { provider modelId displayName } skipped { model { modelId } reason detail } notes }
  }
`;
const TEST_PROVIDER = gql`
  mutation ConsoleTestProvider($kind: String!, $baseUrl: String, $apiKey: String) {
    testProvider(kind: $kind, baseUrl: $baseUrl, apiKey: $apiKey) { ok status latencyMs models error }
  }
`;

const key = (m) => `${m.provider}/${m.modelId}`;

class Curation extends Page {
  enter() {
    this.slot = { name: "chat", models: [], allowMismatch: false };
    this.routes = {};
    this.load();
  }

  load() {
    this.task("list", async (signal) => {
      const data = await this.ctx.api.request(MODELS, {}, { signal });
      this.models = data.savedModels;
      this.slots = data.slots;
    });
  }

  async curate(model, form) {
    const value = (name) => form.elements[name].value;
    const tags = value("tags").split(",").map((t) => t.trim()).filter(Boolean);
    const variables = { provider: model.provider, modelId: model.modelId, displayName: value("displayName"), notes: value("notes"), tags };
    if (await this.task("act", (signal) => this.ctx.api.request(CURATE, variables, { signal }))) {
      this.ctx.announce(`Saved the names of ${model.modelId}.`);
      this.load();
    }
  }

  async probe(model) {
    const done = await this.task("act", (signal) => this.ctx.api.request(PROBE, { provider: model.provider, modelId: model.modelId }, { signal }));
    if (done) {
      const p = done.testModel;
      this.ctx.announce(p.ok ? `Probe of ${model.modelId}: ok in ${Math.round(p.latencyMs)} ms.` : `Probe of ${model.modelId} failed: ${p.error}`);
      this.load();
    }
  }

  editSlot(slot) {
    this.slot = { name: slot.name, models: slot.models.map(key), allowMismatch: false };
    this.ctx.update();
  }

  move(index, by) {
    const models = [...this.slot.models];
    const [item] = models.splice(index, 1);
    if (by !== 0) models.splice(index + by, 0, item);
    this.slot = { ...this.slot, models };
    this.ctx.update();
  }

  async saveSlot() {
    const models = this.slot.models.map((k) => {
      const [provider, ...rest] = k.split("/");
      return { provider, modelId: rest.join("/") };
    });
    const variables = { name: this.slot.name, models, allowMismatch: this.slot.allowMismatch };
    if (await this.task("slot", (signal) => this.ctx.api.request(SET_SLOT, variables, { signal }))) {
      this.ctx.announce(`Saved slot ${this.slot.name}.`);
      await this.route(this.slot.name);
      this.load();
    }
  }

  async route(name) {
    const done = await this.task("route", (signal) => this.ctx.api.request(ROUTE, { slot: name }, { signal }));
    if (done) this.routes = { ...this.routes, [name]: done.route };
    this.ctx.update();
  }

  async testProvider(form) {
    const value = (name) => form.elements[name].value.trim() || null;
    const variables = { kind: value("kind") ?? "", baseUrl: value("baseUrl"), apiKey: value("apiKey") };
    const done = await this.task("test", (signal) => this.ctx.api.request(TEST_PROVIDER, variables, { signal }));
    if (done) this.tested = done.testProvider;
    this.ctx.update();
  }

  render() {
    return html`
      ${pageHeader("Curation", "Name saved models for end users, probe them, and fill the slots requests are routed by: the first usable model of a slot answers.")}
      ${errorBox(this.error("act", "slot", "route"), { dismiss: () => ["act", "slot", "route"].forEach((n) => this.dismiss(n)) })}
      ${errorBox(this.errors.list, { retry: () => this.load() })}
      ${this.busy.list && !this.models ? loading("Loading saved models") : nothing}
      ${this.models ? html`${this.slotEditor()}${this.table()}` : nothing}
      ${this.providerTest()}`;
  }

  table() {
    if (!this.models.length) return empty("No saved model yet. Save models on the Models page.");
    return html`<section class="card" aria-labelledby="names-title"><h2 id="names-title">Names and probes</h2>
    <div class="table-wrap"><table class="data"><caption class="visually-hidden">Saved models to curate</caption>
      <thead><tr><th scope="col">Model</th><th scope="col">Display name, notes, tags</th><th scope="col">Last probe</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${repeat(this.models, (m) => m.dbId, (m) => html`<tr>
        <td data-label="Model" class="model"><strong>${m.name}</strong><code>${key(m)}</code> ${m.isActive ? badge("active", "ok") : badge("inactive", "neutral")}</td>
        <td data-label="Names"><form class="curate" @submit=${(event) => { event.preventDefault(); this.curate(m, event.target); }}>
          <label>Display name <input name="displayName" .value=${m.displayName ?? ""} aria-label=${`Display name of ${m.modelId}`}></label>
          <label>Notes <input name="notes" .value=${m.notes ?? ""} aria-label=${`Notes on ${m.modelId}`}></label>
          <label>Tags <input name="tags" .value=${(m.tags ?? []).join(", ")} aria-label=${`Tags of ${m.modelId}`}></label>
          <button type="submit" ?disabled=${this.busy.act} aria-label=${`Save names of ${m.modelId}`}>Save</button></form></td>
        <td data-label="Last probe">${this.probeView(m.lastProbe)}</td>
        <td class="actions"><button type="button" ?disabled=${this.busy.act} aria-label=${`Probe ${m.modelId}`} @click=${() => this.probe(m)}>Probe</button>
          <button type="button" ?disabled=${this.slot.models.includes(key(m))} aria-label=${`Add ${m.modelId} to the slot`} @click=${() => { this.slot = { ...this.slot, models: [...this.slot.models, key(m)] }; this.ctx.update(); }}>Add to slot</button></td>
      </tr>`)}</tbody></table></div></section>`;
  }

  probeView(p) {
    if (!p) return html`<span class="muted">never probed</span>`;
    const state = p.ok === null ? badge("running", "neutral") : p.ok ? badge("ok", "ok") : badge("failed", "danger", p.error ?? "");
    const latency = p.latencyMs != null ? `${Math.round(p.latencyMs)} ms` : "";
    const spread = p.p50Ms != null ? ` (p50 ${Math.round(p.p50Ms)} ms, p95 ${Math.round(p.p95Ms)} ms)` : "";
    return html`<span class="probe">${state} ${latency}${spread}</span>${p.ok === false && p.error ? html`<div class="muted">${p.error}</div>` : nothing}`;
  }

  slotEditor() {
    const route = this.routes[this.slot.name];
    return html`<section class="card" aria-labelledby="slots-title"><h2 id="slots-title">Slots</h2>
      <p>${(this.slots ?? []).length ? (this.slots ?? []).map((s) => html`<button type="button" class="link" @click=${() => this.editSlot(s)}>Edit ${s.name}</button> `) : "No slot yet."}</p>
      <form class="slot" @submit=${(event) => { event.preventDefault(); this.saveSlot(); }}>
        <label>Slot name <input name="slot" .value=${this.slot.name} @input=${(event) => { this.slot = { ...this.slot, name: event.target.value.trim() }; }}></label>
        <ol aria-label="Slot models, first choice first">${this.slot.models.map((k, i) => html`<li><code>${k}</code>
          <button type="button" ?disabled=${i === 0} aria-label=${`Move ${k} up`} @click=${() => this.move(i, -1)}>Up</button>
          <button type="button" ?disabled=${i === this.slot.models.length - 1} aria-label=${`Move ${k} down`} @click=${() => this.move(i, 1)}>Down</button>
          <button type="button" aria-label=${`Remove ${k} from the slot`} @click=${() => this.move(i, 0)}>Remove</button></li>`)}</ol>
        <label><input type="checkbox" .checked=${this.slot.allowMismatch} @change=${(event) => { this.slot = { ...this.slot, allowMismatch: event.target.checked }; }}> Allow models without the slot's capability</label>
        <button type="submit" class="primary" ?disabled=${this.busy.slot}>Save slot</button>
        <button type="button" ?disabled=${this.busy.route} @click=${() => this.route(this.slot.name)}>Show route</button>
      </form>
      ${route ? html`<div class="route" role="region" aria-label="Route">${route.model
        ? html`<p>Requests for <strong>${this.slot.name}</strong> go to <code>${key(route.model)}</code>${route.model.displayName ? ` (${route.model.displayName})` : ""}.</p>`
        : html`<p>No usable model in <strong>${this.slot.name}</strong>.</p>`}
        ${route.skipped.length ? html`<ul>${route.skipped.map((s) => html`<li>Skipped <code>${s.model.modelId}</code>: ${s.reason.toLowerCase().replaceAll("_", " ")}${s.detail ? ` (${s.detail})` : ""}</li>`)}</ul>` : nothing}
        ${route.notes.map((n) => html`<p class="muted">${n}</p>`)}</div>` : nothing}
    </section>`;
  }

  providerTest() {
    const t = this.tested;
    return html`<section class="card" aria-labelledby="test-title"><h2 id="test-title">Test a provider</h2>
      <p>One list call with this URL and key, before (or without) saving them: nothing is stored.</p>
      <form @submit=${(event) => { event.preventDefault(); this.testProvider(event.target); }}>
        <label>Kind <input name="kind" value="openai_compatible"></label>
        <label>Base URL <input name="baseUrl" type="url"></label>
        <label>API key <input name="apiKey" type="password" autocomplete="off"></label>
        <button type="submit" ?disabled=${this.busy.test}>Test provider</button>
      </form>
      ${errorBox(this.errors.test, { dismiss: () => this.dismiss("test") })}
      ${t ? html`<p role="status">${t.ok ? badge("ok", "ok") : badge("failed", "danger")} ${Math.round(t.latencyMs)} ms${t.ok ? `, ${t.models} models listed` : `: ${t.error}`}</p>` : nothing}
    </section>`;
  }
}

export default {
  path: "/curation",
  title: "Curation",
  nav: "Curation",
  requires: "ai.manage",
  create: (ctx) => new Curation(ctx),
};
