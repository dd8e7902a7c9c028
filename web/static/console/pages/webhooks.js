// Webhooks: register endpoints (the signing secret is shown once), send a signed test event,
// pause, remove, and read the delivery log (status, attempts, the receiver's last answer).
import * as format from "../core/format.js";
import { gql } from "../core/graphql.js";
import { html, nothing, repeat } from "../core/lit.js";
import { Page } from "../core/page.js";
import { badge, empty, errorBox, field, loading, pageHeader } from "../ui/components.js";

const ENDPOINTS = gql`
  query ConsoleWebhooks {
    webhookEndpoints { id url description events isActive createdAt }
    webhookDeliveries(first: 50) {
      hasMore endCursor
      deliveries { id endpointId url messageId eventType status attempts nextAttemptAt responseStatus lastError createdAt deliveredAt }
    }
  }
`;
const REGISTER = gql`
  mutation ConsoleRegisterWebhook($input: RegisterWebhookInput!) {
    registerWebhook(input: $input) { secret endpoint { id url events } }
  }
`;
const UPDATE = gql`
  mutation ConsoleUpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) { id isActive }
  }
`;
const REMOVE = gql`
  mutation ConsoleRemoveWebhook($id: ID!) { removeWebhook(id: $id) }
`;
const TEST = gql`
  mutation ConsoleTestWebhook($id: ID!) {
    sendTestWebhook(id: $id) { messageId status attempts responseStatus lastError }
  }
`;

const EVENTS = [
  ["model.missing", "A saved model went missing upstream (active ones flagged)", true],
  ["model.retiring", "A saved model retires within 90, 60 or 30 days (once each)", true],
  ["model.changed", "A saved model's price, context window or max output changed", true],
  ["refresh.failing", "Refreshes of a provider failed several times in a row", true],
  ["models.added", "New models appeared upstream", false],
];
const STATUS = { delivered: "ok", pending: "warn", failed: "danger" };

class Webhooks extends Page {
  enter() {
    this.secret = null;
    this.reload();
  }

  reload() {
    return this.task("load", async (signal) => {
      this.data = await this.ctx.api.request(ENDPOINTS, {}, { signal });
    });
  }

  async register(event) {
    event.preventDefault();
    const formElement = event.target;
    const form = new FormData(formElement);
    const input = {
      url: String(form.get("url") ?? "").trim(),
      description: String(form.get("description") ?? "").trim(),
      events: form.getAll("events").map(String),
    };
    const done = await this.task("register", (signal) => this.ctx.api.request(REGISTER, { input }, { signal }));
    if (done) {
      formElement.reset();
      this.secret = done.registerWebhook;
      this.ctx.announce(`Registered ${done.registerWebhook.endpoint.url}. Copy its secret now: it is not shown again.`);
      await this.reload();
    }
  }

  async test(endpoint) {
    const done = await this.task("row", (signal) => this.ctx.api.request(TEST, { id: endpoint.id }, { signal }));
    if (done) {
      const d = done.sendTestWebhook;
      this.ctx.announce(d.status === "delivered" ? `Test event delivered (HTTP ${d.responseStatus}).`
        : `Test event not delivered: ${d.lastError ?? `HTTP ${d.responseStatus}`}; it will be retried.`);
      await this.reload();
    }
  }

  async toggle(endpoint) {
    const variables = { id: endpoint.id, input: { isActive: !endpoint.isActive } };
    if (await this.task("row", (signal) => this.ctx.api.request(UPDATE, variables, { signal }))) {
      this.ctx.announce(`${endpoint.isActive ? "Paused" : "Resumed"} ${endpoint.url}.`);
      await this.reload();
    }
  }

  async remove(endpoint) {
    const sure = await this.ctx.confirm({
      title: `Remove ${endpoint.url}?`,
      body: "No more events are sent to it, and its delivery log is deleted.",
      confirm: "Remove",
      danger: true,
    });
    if (!sure) return;
    if (await this.task("row", (signal) => this.ctx.api.request(REMOVE, { id: endpoint.id }, { signal }))) {
      this.ctx.announce(`Removed ${endpoint.url}.`);
      await this.reload();
    }
  }

  render() {
    return html`
      ${pageHeader("Webhooks", "Signed POSTs (Standard Webhooks) when a saved model goes missing, retires, changes price, or refreshes keep failing.")}
      ${errorBox(this.errors.load, { retry: () => this.reload() })}
      ${errorBox(this.errors.row, { dismiss: () => this.dismiss("row") })}
      ${this.secret ? this.secretView(this.secret) : nothing}
      ${this.registerForm()}
      ${this.busy.load && !this.data ? loading("Loading webhooks") : nothing}
      ${this.data ? this.endpointsView(this.data.webhookEndpoints) : nothing}
      ${this.data ? this.deliveriesView(this.data.webhookDeliveries) : nothing}`;
  }

  secretView(registered) {
    return html`<div class="notice warn" role="status">
      <p><strong>Signing secret for ${registered.endpoint.url}</strong>: shown this once. Receivers verify the
        <code>webhook-signature</code> header with it.</p>
      <p><code class="secret" data-testid="webhook-secret">${registered.secret}</code></p>
      <button type="button" class="quiet" @click=${() => { this.secret = null; this.ctx.update(); }}>I have copied it</button>
    </div>`;
  }

  registerForm() {
    return html`<section aria-labelledby="register-title">
      <details class="card" ?open=${!this.data || this.data.webhookEndpoints.length === 0}>
        <summary><h2 id="register-title">Register an endpoint</h2></summary>
        <form @submit=${(event) => this.register(event)} autocomplete="off">
          <div class="grid">
            ${field("URL", "hook-url", html`<input id="hook-url" name="url" type="url" required placeholder="https://hooks.example.com/ai-models">`, "http:// or https://; private addresses only when the operator allows them.")}
            ${field("Description", "hook-description", html`<input id="hook-description" name="description" maxlength="255" placeholder="on-call pager">`)}
          </div>
          <fieldset><legend>Events</legend>
            ${EVENTS.map(([name, label, checked]) => html`<label class="check"><input type="checkbox" name="events" value=${name} ?checked=${checked}> <code>${name}</code> ${label}</label><br>`)}
          </fieldset>
          ${errorBox(this.errors.register)}
          <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy.register}>${this.busy.register ? "Registering…" : "Register endpoint"}</button></div>
        </form>
      </details>
    </section>`;
  }

  endpointsView(endpoints) {
    if (!endpoints.length) return empty("No endpoint is registered: nobody is told when a model disappears.");
    return html`<section aria-labelledby="endpoints-title"><h2 id="endpoints-title">Endpoints</h2>
      <div class="table-wrap"><table class="data endpoints">
      <caption class="visually-hidden">Registered endpoints</caption>
      <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
      <tbody>${repeat(endpoints, (e) => e.id, (e) => html`<tr>
        <td data-label="URL"><code>${e.url}</code>${e.description ? html`<br><span class="muted">${e.description}</span>` : nothing}</td>
        <td data-label="Events">${e.events.join(", ")}</td>
        <td data-label="State">${e.isActive ? badge("active", "ok") : badge("paused", "neutral")}</td>
        <td data-label="Actions">
          <button type="button" ?disabled=${this.busy.row} aria-label=${`Send a test event to ${e.url}`} @click=${() => this.test(e)}>Send test</button>
          <button type="button" class="quiet" ?disabled=${this.busy.row} @click=${() => this.toggle(e)}>${e.isActive ? "Pause" : "Resume"}</button>
          <button type="button" class="danger" ?disabled=${this.busy.row} aria-label=${`Remove ${e.url}`} @click=${() => this.remove(e)}>Remove</button>
        </td></tr>`)}</tbody></table></div></section>`;
  }

  deliveriesView(page) {
    return html`<section aria-labelledby="deliveries-title"><h2 id="deliveries-title">Delivery log</h2>
      ${page.deliveries.length ? html`<div class="table-wrap"><table class="data deliveries">
      <caption class="visually-hidden">Deliveries, newest first</caption>
      <thead><tr><th scope="col">Queued</th><th scope="col">Event</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th></tr></thead>
      <tbody>${repeat(page.deliveries, (d) => d.id, (d) => html`<tr>
        <td data-label="Queued"><time datetime=${d.createdAt}>${format.age(d.createdAt)}</time></td>
        <td data-label="Event"><code>${d.eventType}</code></td>
        <td data-label="To"><code>${d.url}</code></td>
        <td data-label="Status">${badge(d.status, STATUS[d.status])}${d.status === "pending" && d.attempts ? html` <span class="muted">next ${format.dateTime(d.nextAttemptAt)}</span>` : nothing}</td>
        <td data-label="Attempts">${d.attempts}</td>
        <td data-label="Last answer">${d.responseStatus ? `HTTP ${d.responseStatus}` : nothing}${d.lastError && !d.responseStatus ? d.lastError : nothing}</td>
      </tr>`)}</tbody></table></div>` : empty("Nothing has been sent yet. Send a test event to try an endpoint.")}
    </section>`;
  }
}

export default {
  path: "/webhooks",
  title: "Webhooks",
  nav: "Webhooks",
  requires: "ai.manage",
  create: (ctx) => new Webhooks(ctx),
};
