// One page of a provider's live list as a table: each row a model with its figures, where
// each price came from, and whether it is saved and active here. Rows keep their place when
// a model is saved or switched (keyed by id), so nothing jumps under the admin's pointer.
import { html, nothing, repeat } from "../core/lit.js";
import * as format from "../core/format.js";
import { badge, capabilities } from "./components.js";

const SORTABLE = {
  name: "NAME", input: "INPUT_PRICE", output: "OUTPUT_PRICE", context: "CONTEXT_WINDOW", released: "CREATED_AT",
  cost: "ESTIMATED_COST",
};

/**
 * @param {object} view
 * @param {object[]} view.models this page's models
 * @param {object} view.filters the current order (`sort`, `dir`)
 * @param {Map<string, object>} view.selection selected model ids
 * @param {boolean} view.manage whether write controls are shown
 * @param {object} view.on handlers: sort(field), toggle(model, on), togglePage(on), act(model, action)
 * @param {boolean} view.busy an action is running
 */
export function modelTable({ models, filters, selection, manage, on, busy, now }) {
  const allOnPage = models.length > 0 && models.every((m) => selection.has(m.modelId));
  const header = (key, label) => {
    const field = SORTABLE[key];
    const sorted = filters.sort === field;
    const next = sorted && filters.dir === "ASC" ? "DESC" : "ASC";
    return html`<th scope="col" aria-sort=${sorted ? (filters.dir === "ASC" ? "ascending" : "descending") : "none"}>
      <button type="button" class="sort" @click=${() => on.sort(field, next)}
        aria-label=${`Sort by ${label.toLowerCase()}${sorted ? (filters.dir === "ASC" ? ", descending" : ", ascending") : ""}`}>
        ${label}<span aria-hidden="true">${sorted ? (filters.dir === "ASC" ? " ▲" : " ▼") : ""}</span></button></th>`;
  };
  return html`<div class="table-wrap"><table class="data models">
    <caption class="visually-hidden">Models offered by the provider now</caption>
    <thead><tr>
      ${manage ? html`<th scope="col" class="select"><input type="checkbox" aria-label="Select every model on this page"
        .checked=${allOnPage} @change=${(event) => on.togglePage(event.target.checked)}></th>` : nothing}
      ${header("name", "Model")}
      <th scope="col">Capabilities</th>
      ${header("input", "Input $/1M")}
      ${header("output", "Output $/1M")}
      ${header("cost", `Cost of ${format.tokens(Number(filters.tin))} in + ${format.tokens(Number(filters.tout))} out`)}
      ${header("context", "Context")}
      ${header("released", "Released")}
      <th scope="col">Here</th>
      ${manage ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : nothing}
    </tr></thead>
    <tbody>${repeat(models, (model) => model.modelId, (model) => row(model, { selection, manage, on, busy, now }))}</tbody>
  </table></div>`;
}

// One flat template per row (a nested template per chip or badge costs more than the row
// itself when 549 rows render at once): text and attributes only, plus the row's buttons.
function row(model, { selection, manage, on, busy, now }) {
  const selected = selection.has(model.modelId);
  const retiring = model.expiresAt && new Date(model.expiresAt).getTime() - now < 30 * 86400_000;
  const input = figure(model.inputPrice, model.sources, "input_price");
  const output = figure(model.outputPrice, model.sources, "output_price");
  const [here, hereKind] = model.isActiveInDb ? ["active", "badge ok"] : model.savedInDb ? ["saved", "badge info"] : ["—", "muted"];
  return html`<tr class=${selected ? "selected" : ""}>
    ${manage ? html`<td class="select"><input type="checkbox" aria-label=${`Select ${model.modelId}`}
      .checked=${selected} @change=${(event) => on.toggle(model, event.target.checked)}></td>` : nothing}
    <td data-label="Model" class="model"><strong>${model.name}</strong><code>${model.modelId}</code>${retiring
      ? badge(`retires ${format.date(model.expiresAt)}`, "warn") : nothing}${model.replacementModelId
      ? html`<span class="badge neutral replacement">→ ${model.replacementModelId}</span>` : nothing}${model.disagreements?.length
      ? html`<span class="badge warn disagreement" title=${disagreements(model.disagreements)}>sources disagree</span>` : nothing}</td>
    <td data-label="Capabilities" class="caps">${capabilities(model.capabilities)}</td>
    <td data-label="Input $/1M" class="num"><span class="price">${input.price}</span> <span class=${input.kind} title=${input.title}>${input.source}</span></td>
    <td data-label="Output $/1M" class="num"><span class="price">${output.price}</span> <span class=${output.kind} title=${output.title}>${output.source}</span></td>
    <td data-label="Cost of a request" class="num cost">${model.estimatedCost === null || model.estimatedCost === undefined ? "—" : `$${model.estimatedCost}`}</td>
    <td data-label="Context" class="num">${format.tokens(model.contextWindow)}</td>
    <td data-label="Released" class="date">${format.date(model.createdAt)}</td>
    <td data-label="Here"><span class=${hereKind}>${here}</span></td>
    ${manage ? html`<td class="actions"><div class="row-actions">${rowActions(model, on, busy)}</div></td>` : nothing}
  </tr>`;
}

/** Each disagreeing figure with every source's value, the kept one first (a tooltip). */
function disagreements(list) {
  return list.map((d) => `${d.field}: ${d.values.map((v) => `${v.value} (${v.source})`).join(" vs ")}`).join("\n");
}

function figure(value, sources, field) {
  const source = value === null || value === undefined ? null : format.origin(sources, field);
  return {
    price: format.price(value),
    source: source?.kind ?? "",
    kind: source ? `source ${source.kind}` : "",
    title: source ? `from ${source.detail}` : "",
  };
}

function rowActions(model, on, busy) {
  const button = (action, label, kind = "") => html`<button type="button" class=${kind} ?disabled=${busy}
    aria-label=${`${label} ${model.modelId}`} @click=${() => on.act(model, action)}>${label}</button>`;
  if (!model.savedInDb) return html`${button("save", "Save")}${button("activate", "Activate", "primary")}`;
  if (model.isActiveInDb) return button("deactivate", "Deactivate");
  return button("activate", "Activate", "primary");
}
