// Saved models: what the app can use, with the figures saved with each, and which model each
// capability routes to now (`activeModel`). Admins switch models on and off here too.
import * as format from "../core/format.js";
import { gql } from "../core/graphql.js";
import { html, nothing, repeat } from "../core/lit.js";
import { Page } from "../core/page.js";
import { badge, capabilities, empty, errorBox, loading, pageHeader, price } from "../ui/components.js";

const SAVED = gql`
  query ConsoleSavedModels($provider: String, $capability: Capability, $active: Boolean) {
    savedModels(provider: $provider, capability: $capability, active: $active) {
      dbId provider modelId name capabilities capabilitiesOverridden inputPrice outputPrice
      contextWindow maxOutputTokens isActive createdAt updatedAt
    }
  }
`;
// One alias per capability (13, under the server's alias limit): where each request goes.
const ROUTES = gql`
  query ConsoleRoutes {
    CHAT: activeModel(capability: CHAT) { provider modelId }
    CONTENT: activeModel(capability: CONTENT) { provider modelId }
    VISION: activeModel(capability: VISION) { provider modelId }
    IMAGE: activeModel(capability: IMAGE) { provider modelId }
    AUDIO: activeModel(capability: AUDIO) { provider modelId }
    SPEECH: activeModel(capability: SPEECH) { provider modelId }
    TRANSCRIPTION: activeModel(capability: TRANSCRIPTION) { provider modelId }
    EMBEDDING: activeModel(capability: EMBEDDING) { provider modelId }
    VIDEO: activeModel(capability: VIDEO) { provider modelId }
    RERANK: activeModel(capability: RERANK) { provider modelId }
    MODERATION: activeModel(capability: MODERATION) { provider modelId }
    TOOLS: activeModel(capability: TOOLS) { provider modelId }
    REASONING: activeModel(capability: REASONING) { provider modelId }
  }
`;
const SET_ACTIVE = gql`
  mutation ConsoleSavedSetActive($provider: String!, $modelIds: [String!]!, $active: Boolean!) {
    setModelsActive(provider: $provider, modelIds: $modelIds, active: $active) { changed active }
  }
`;

class Saved extends Page {
  enter() {
    const query = this.ctx.query;
    this.filters = { provider: query.get("provider") ?? "", capability: query.get("capability") ?? "", active: query.get("active") ?? "" };
    this.task("providers", async (signal) => {
      this.choices = (await this.ctx.providers.load(signal)).choices;
    });
    this.load();
  }

  load() {
    const { provider, capability, active } = this.filters;
    const variables = { provider: provider || null, capability: capability || null, active: active ? active === "yes" : null };
    this.task("list", async (signal) => {
      this.models = (await this.ctx.api.request(SAVED, variables, { signal })).savedModels;
    });
    this.task("routes", async (signal) => {
      this.routes = await this.ctx.api.request(ROUTES, {}, { signal });
    });
  }

  change(patch) {
    this.filters = { ...this.filters, ...patch };
    this.ctx.setQuery(this.filters);
    this.load();
  }

  async setActive(model, active) {
    const variables = { provider: model.provider, modelIds: [model.modelId], active };
    const done = await this.task("act", (signal) => this.ctx.api.request(SET_ACTIVE, variables, { signal }));
    if (done) {
      this.ctx.announce(`${active ? "Activated" : "Deactivated"} ${model.modelId}.`);
      this.load();
    }
  }

  render() {
    const select = (id, label, value, options, key) => html`<div class="field"><label for=${id}>${label}</label>
      <select id=${id} @change=${(event) => this.change({ [key]: event.target.value })}>
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}</select></div>`;
    const providers = [["", "all"], ...(this.choices ?? []).map((c) => [c.slug, c.label])];
    if (this.filters.provider && !providers.some(([slug]) => slug === this.filters.provider)) {
      providers.push([this.filters.provider, this.filters.provider]);
    }
    return html`
      ${pageHeader("Saved models", "What the app can use: the models saved here with the figures saved with them. Only active models receive requests.")}
      ${this.routesView()}
      <form class="filters" @submit=${(event) => event.preventDefault()}><div class="filter-row">
        ${select("saved-provider", "Provider", this.filters.provider, providers, "provider")}
        ${select("saved-capability", "Capability", this.filters.capability, [["", "any"], ...format.CAPABILITIES.map((c) => [c, format.capability(c)])], "capability")}
        ${select("saved-active", "State", this.filters.active, [["", "any"], ["yes", "active"], ["no", "inactive"]], "active")}
      </div></form>
      ${errorBox(this.errors.act, { dismiss: () => this.dismiss("act") })}
      ${errorBox(this.errors.list, { retry: () => this.load() })}
      ${this.busy.list && !this.models ? loading("Loading saved models") : nothing}
      ${this.models ? this.table() : nothing}`;
  }

  routesView() {
    if (this.errors.routes) return errorBox(this.errors.routes);
    if (!this.routes) return nothing;
    const routed = format.CAPABILITIES.filter((c) => this.routes[c]);
    return html`<section class="card routes" aria-labelledby="routes-title">
      <h2 id="routes-title">Where requests go now</h2>
      ${routed.length ? html`<dl>${routed.map((c) => html`<div><dt>${format.capability(c)}</dt>
        <dd><code>${this.routes[c].modelId}</code> <span class="muted">${this.routes[c].provider}</span></dd></div>`)}</dl>`
        : html`<p>No model is active: a generation request has nothing to route to.${this.ctx.session.canManage ? " Activate one on the Models page." : ""}</p>`}
    </section>`;
  }

  table() {
    const manage = this.ctx.session.canManage;
    if (!this.models.length) return empty("No saved model matches. Save models from a provider's live list on the Models page.");
    return html`<p class="list-status"><strong>${format.count(this.models.length, "saved model")}</strong></p>
    <div class="table-wrap"><table class="data">
      <caption class="visually-hidden">Saved models</caption>
      <thead><tr><th scope="col">Model</th><th scope="col">Provider</th><th scope="col">Capabilities</th>
        <th scope="col">Input $/1M</th><th scope="col">Output $/1M</th><th scope="col">Context</th><th scope="col">Max output</th>
        <th scope="col">State</th><th scope="col">Saved</th>${manage ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : nothing}</tr></thead>
      <tbody>${repeat(this.models, (m) => m.dbId, (m) => html`<tr>
        <td data-label="Model" class="model"><strong>${m.name}</strong><code>${m.modelId}</code></td>
        <td data-label="Provider"><code>${m.provider}</code></td>
        <td data-label="Capabilities" class="caps">${capabilities(m.capabilities)} ${m.capabilitiesOverridden ? badge("set by hand", "neutral", "An admin set these; syncs keep them") : nothing}</td>
        <td data-label="Input $/1M" class="num">${price(m.inputPrice)}</td>
        <td data-label="Output $/1M" class="num">${price(m.outputPrice)}</td>
        <td data-label="Context" class="num">${format.tokens(m.contextWindow)}</td>
        <td data-label="Max output" class="num">${format.tokens(m.maxOutputTokens)}</td>
        <td data-label="State">${m.isActive ? badge("active", "ok") : badge("inactive", "neutral")}</td>
        <td data-label="Saved"><time datetime=${m.updatedAt} title=${`first saved ${format.dateTime(m.createdAt)}`}>${format.dateTime(m.updatedAt)}</time></td>
        ${manage ? html`<td class="actions">${m.isActive
          ? html`<button type="button" ?disabled=${this.busy.act} aria-label=${`Deactivate ${m.modelId}`} @click=${() => this.setActive(m, false)}>Deactivate</button>`
          : html`<button type="button" class="primary" ?disabled=${this.busy.act} aria-label=${`Activate ${m.modelId}`} @click=${() => this.setActive(m, true)}>Activate</button>`}</td>` : nothing}
      </tr>`)}</tbody>
    </table></div>`;
  }
}

export default {
  path: "/saved",
  title: "Saved models",
  nav: "Saved models",
  requires: "ai.read",
  create: (ctx) => new Saved(ctx),
};
