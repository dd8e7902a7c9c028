// Providers: the kinds this server can talk to and the stored instances; add, edit,
// deactivate and reactivate instances. A key is write-only: only its last four characters show.
import { gql } from "../core/graphql.js";
import { html, nothing } from "../core/lit.js";
import { Page } from "../core/page.js";
import { badge, empty, errorBox, field, loading, pageHeader } from "../ui/components.js";

const ADD = gql`
  mutation ConsoleAddProvider($input: AddProviderInput!) {
    addProvider(input: $input) { id slug kind displayName baseUrl hasApiKey apiKeyLast4 ttl isActive }
  }
`;
const UPDATE = gql`
  mutation ConsoleUpdateProvider($slug: String!, $input: UpdateProviderInput!) {
    updateProvider(slug: $slug, input: $input) { id slug kind displayName baseUrl hasApiKey apiKeyLast4 ttl isActive }
  }
`;
const DEACTIVATE = gql`
  mutation ConsoleDeactivateProvider($slug: String!) {
    deactivateProvider(slug: $slug) { id slug isActive }
  }
`;

function text(form, name) {
  const value = form.get(name);
  return value === null ? "" : value.toString().trim();
}

function ttl(value) {
  return value === "" ? null : Number(value);
}

class Providers extends Page {
  enter() {
    this.editing = null;
    this.reload();
  }

  reload() {
    this.ctx.providers.forget();
    return this.task("load", async (signal) => {
      this.data = await this.ctx.providers.load(signal);
    });
  }

  async add(event) {
    event.preventDefault();
    const formElement = event.target;
    const form = new FormData(formElement);
    const input = {
      slug: text(form, "slug"),
      kind: text(form, "kind"),
      displayName: text(form, "displayName") || null,
      baseUrl: text(form, "baseUrl") || null,
      apiKey: text(form, "apiKey") || null,
      ttl: ttl(text(form, "ttl")),
    };
    const done = await this.task("add", (signal) => this.ctx.api.request(ADD, { input }, { signal }));
    if (done) {
      formElement.reset();
      this.ctx.announce(`Added ${done.addProvider.slug}.`);
      await this.reload();
    }
  }

  async save(event, instance) {
    event.preventDefault();
    const form = new FormData(event.target);
    const input = {};
    const displayName = text(form, "displayName");
    if (displayName && displayName !== instance.displayName) input.displayName = displayName;
    const baseUrl = text(form, "baseUrl") || null;
    if (baseUrl !== instance.baseUrl) input.baseUrl = baseUrl;
    const newTtl = ttl(text(form, "ttl"));
    if (newTtl !== instance.ttl) input.ttl = newTtl;
    if (form.get("removeKey")) input.apiKey = null;
    else if (text(form, "apiKey")) input.apiKey = text(form, "apiKey");
    if (!Object.keys(input).length) {
      this.editing = null;
      this.ctx.update();
      return;
    }
    const variables = { slug: instance.slug, input };
    const done = await this.task("edit", (signal) => this.ctx.api.request(UPDATE, variables, { signal }));
    if (done) {
      this.editing = null;
      this.ctx.announce(`Saved ${instance.slug}.`);
      await this.reload();
    }
  }

  async deactivate(instance) {
    const sure = await this.ctx.confirm({
      title: `Deactivate ${instance.displayName}?`,
      body: `Its list is no longer fetched and it cannot be browsed; its saved models stay. You can reactivate it later.`,
      confirm: "Deactivate",
      danger: true,
    });
    if (!sure) return;
    const done = await this.task("row", (signal) =>
      this.ctx.api.request(DEACTIVATE, { slug: instance.slug }, { signal }));
    if (done) {
      this.ctx.announce(`Deactivated ${instance.slug}.`);
      await this.reload();
    }
  }

  async reactivate(instance) {
    const variables = { slug: instance.slug, input: { isActive: true } };
    const done = await this.task("row", (signal) => this.ctx.api.request(UPDATE, variables, { signal }));
    if (done) {
      this.ctx.announce(`Reactivated ${instance.slug}.`);
      await this.reload();
    }
  }

  render() {
    const manage = this.ctx.session.canManage;
    return html`
      ${pageHeader("Providers", "The kinds this server can talk to and the instances stored here. API keys are never shown again: only their last four characters.")}
      ${errorBox(this.error("load"), { retry: () => this.reload() })}
      ${errorBox(this.errors.row, { dismiss: () => this.dismiss("row") })}
      ${this.busy.load && !this.data ? loading("Loading providers") : nothing}
      ${this.data ? html`
        ${this.instances(manage)}
        ${manage ? this.addForm() : nothing}
        ${this.kinds()}` : nothing}`;
  }

  instances(manage) {
    const { instances } = this.data;
    return html`<section aria-labelledby="instances-title">
      <h2 id="instances-title">Instances</h2>
      ${instances.length === 0
        ? empty(manage ? "No instance stored yet: the kinds below use the environment's settings. Add one to give a kind its own URL, key or TTL, or to add a second gateway." : "No instance stored yet.")
        : html`<div class="table-wrap"><table class="data">
          <caption class="visually-hidden">Stored provider instances</caption>
          <thead><tr><th scope="col">Instance</th><th scope="col">Kind</th><th scope="col">Base URL</th>
            <th scope="col">API key</th><th scope="col">List TTL</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>${instances.map((instance) => this.instanceRow(instance, manage))}</tbody>
        </table></div>`}
      ${this.editing ? this.editForm(instances.find((i) => i.slug === this.editing)) : nothing}
    </section>`;
  }

  instanceRow(instance, manage) {
    return html`<tr>
      <td data-label="Instance"><strong>${instance.displayName}</strong><br><code>${instance.slug}</code></td>
      <td data-label="Kind"><code>${instance.kind}</code></td>
      <td data-label="Base URL">${instance.baseUrl ? html`<code class="url">${instance.baseUrl}</code>` : html`<span class="muted">the kind's default</span>`}</td>
      <td data-label="API key">${instance.hasApiKey ? html`<code>•••• ${instance.apiKeyLast4 ?? ""}</code>` : html`<span class="muted">none</span>`}</td>
      <td data-label="List TTL">${instance.ttl ? `${instance.ttl} s` : html`<span class="muted">server default</span>`}</td>
      <td data-label="Status">${instance.isActive ? badge("active", "ok") : badge("deactivated", "neutral")}</td>
      <td class="actions"><div class="row-actions">
        ${instance.isActive && manage ? html`<a class="button" href=${this.ctx.href(`/models/${encodeURIComponent(instance.slug)}`)}>Browse models</a>` : nothing}
        ${manage ? html`
          <button type="button" aria-label=${`Edit ${instance.slug}`} @click=${() => { this.editing = instance.slug; this.ctx.update(); }}>Edit</button>
          ${instance.isActive
            ? html`<button type="button" class="danger" aria-label=${`Deactivate ${instance.slug}`} ?disabled=${this.busy.row} @click=${() => this.deactivate(instance)}>Deactivate</button>`
            : html`<button type="button" aria-label=${`Reactivate ${instance.slug}`} ?disabled=${this.busy.row} @click=${() => this.reactivate(instance)}>Reactivate</button>`}` : nothing}
      </div></td>
    </tr>`;
  }

  editForm(instance) {
    if (!instance) return nothing;
    const id = (name) => `edit-${name}`;
    return html`<form class="card" @submit=${(event) => this.save(event, instance)} autocomplete="off" aria-labelledby="edit-title">
      <h3 id="edit-title">Edit ${instance.slug}</h3>
      <div class="grid">
        ${field("Display name", id("name"), html`<input id=${id("name")} name="displayName" .value=${instance.displayName}>`)}
        ${field("Base URL", id("url"), html`<input id=${id("url")} name="baseUrl" type="url" .value=${instance.baseUrl ?? ""} placeholder="the kind's default">`, "Empty: the kind's default.")}
        ${field("New API key", id("key"), html`<input id=${id("key")} name="apiKey" type="password" autocomplete="off" placeholder=${instance.hasApiKey ? `keep •••• ${instance.apiKeyLast4 ?? ""}` : "none stored"}>`, "Stored encrypted; leave empty to keep the current one.")}
        ${field("List TTL (seconds)", id("ttl"), html`<input id=${id("ttl")} name="ttl" type="number" min="10" max="604800" .value=${instance.ttl ?? ""} placeholder="server default">`)}
      </div>
      ${instance.hasApiKey ? html`<label class="check"><input type="checkbox" name="removeKey"> Remove the stored key</label>` : nothing}
      ${errorBox(this.errors.edit)}
      <div class="actions">
        <button type="button" @click=${() => { this.editing = null; this.dismiss("edit"); }}>Cancel</button>
        <button type="submit" class="primary" ?disabled=${this.busy.edit}>${this.busy.edit ? "Saving…" : "Save changes"}</button>
      </div>
    </form>`;
  }

  addForm() {
    const kinds = this.data.kinds;
    return html`<section aria-labelledby="add-title">
      <details class="card" ?open=${this.data.instances.length === 0}>
        <summary><h2 id="add-title">Add a provider instance</h2></summary>
        <form @submit=${(event) => this.add(event)} autocomplete="off">
          <div class="grid">
            ${field("Kind", "add-kind", html`<select id="add-kind" name="kind" required>${kinds.map((k) => html`<option value=${k.kind}>${k.displayName} (${k.kind})</option>`)}</select>`)}
            ${field("Slug", "add-slug", html`<input id="add-slug" name="slug" required pattern="[a-z][a-z0-9_\\-]{1,63}" placeholder="gateway-eu">`, "How operations name it: a-z, 0-9, '-', '_'.")}
            ${field("Display name", "add-name", html`<input id="add-name" name="displayName" placeholder="the kind's name">`)}
            ${field("Base URL", "add-url", html`<input id="add-url" name="baseUrl" type="url" placeholder="the kind's default">`)}
            ${field("API key", "add-key", html`<input id="add-key" name="apiKey" type="password" autocomplete="off">`, "Stored encrypted, never shown again.")}
            ${field("List TTL (seconds)", "add-ttl", html`<input id="add-ttl" name="ttl" type="number" min="10" max="604800" placeholder="server default">`)}
          </div>
          ${errorBox(this.errors.add)}
          <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy.add}>${this.busy.add ? "Adding…" : "Add provider"}</button></div>
        </form>
      </details>
    </section>`;
  }

  kinds() {
    return html`<section aria-labelledby="kinds-title">
      <h2 id="kinds-title">Kinds</h2>
      <p class="muted">Each kind can be browsed directly, configured by the server's environment (<code>AI_PROVIDER_&lt;KIND&gt;_*</code>) or its defaults.</p>
      <div class="table-wrap"><table class="data">
        <caption class="visually-hidden">Provider kinds</caption>
        <thead><tr><th scope="col">Kind</th><th scope="col">Default base URL</th><th scope="col">Needs a key</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${this.data.kinds.map((kind) => html`<tr>
          <td data-label="Kind"><strong>${kind.displayName}</strong><br><code>${kind.kind}</code></td>
          <td data-label="Default base URL"><code class="url">${kind.defaultBaseUrl}</code></td>
          <td data-label="Needs a key">${kind.needsKey ? "yes" : "no"}</td>
          <td class="actions"><div class="row-actions">
            ${this.ctx.session.canManage && this.data.choices.some((c) => c.slug === kind.kind) ? html`<a class="button" href=${this.ctx.href(`/models/${kind.kind}`)}>Browse models</a>` : nothing}
            <a href=${kind.docsUrl} rel="noreferrer noopener" target="_blank">API reference<span class="visually-hidden"> (new tab)</span></a>
          </div></td>
        </tr>`)}</tbody>
      </table></div>
    </section>`;
  }
}

export default {
  path: "/providers",
  title: "Providers",
  nav: "Providers",
  requires: "ai.read",
  create: (ctx) => new Providers(ctx),
};
