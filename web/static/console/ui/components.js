// Shared pieces every page uses: error boxes with the API's code, loading states, badges,
// prices with their source, form fields, a pager. Templates only; no state of their own.
import { html, nothing } from "../core/lit.js";
import * as format from "../core/format.js";

/** The API's message and code, never a blank screen; `retry` adds a button. */
export function errorBox(error, { retry, dismiss } = {}) {
  if (!error) return nothing;
  return html`<div class="notice error" role="alert">
    <p><strong class="code">${error.code ?? "ERROR"}</strong> ${error.message}</p>
    ${retry ? html`<button type="button" @click=${retry}>Try again</button>` : nothing}
    ${dismiss ? html`<button type="button" class="quiet" @click=${dismiss}>Dismiss</button>` : nothing}
  </div>`;
}

export function loading(label = "Loading") {
  return html`<p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${label}…</p>`;
}

export function badge(text, kind = "neutral", title) {
  return html`<span class="badge ${kind}" title=${title ?? nothing}>${text}</span>`;
}

/** A price per 1M tokens and where it came from ("listed" by the provider, or "catalog"). */
export function price(value, sources, field) {
  const source = value === null || value === undefined ? null : format.origin(sources, field);
  return html`<span class="price">${format.price(value)}</span>${source
    ? html` <span class="source ${source.kind}" title=${`from ${source.detail}`}>${source.kind}</span>`
    : nothing}`;
}

/** Capabilities as one line of text (cheap to render for hundreds of rows). */
export function capabilities(list) {
  return list.map(format.capability).join(" · ");
}

/** A labelled control; `control` is the input itself, `id` ties the label to it. */
export function field(label, id, control, hint) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${control}
    ${hint ? html`<small id=${`${id}-hint`}>${hint}</small>` : nothing}
  </div>`;
}

export function select(id, value, options, onChange, { label } = {}) {
  return html`<select id=${id} aria-label=${label ?? nothing} @change=${(event) => onChange(event.target.value)}>
    ${options.map(([optionValue, text]) => html`<option value=${optionValue} ?selected=${optionValue === value}>${text}</option>`)}
  </select>`;
}

export function pageHeader(title, subtitle, actions = nothing) {
  return html`<header class="page-header">
    <div>
      <h1 tabindex="-1">${title}</h1>
      ${subtitle ? html`<p class="subtitle">${subtitle}</p>` : nothing}
    </div>
    <div class="page-actions">${actions}</div>
  </header>`;
}

/** An empty state that says what to do next. */
export function empty(message, action = nothing) {
  return html`<div class="empty"><p>${message}</p>${action}</div>`;
}

export function providerOptions(providers) {
  return providers.map((provider) => [provider.slug, provider.label]);
}
