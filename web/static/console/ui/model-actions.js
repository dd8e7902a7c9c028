// What an admin does with a provider's list: act on the selection (save, activate,
// deactivate), sync the N best models of a capability, clear saved models after a
// confirmation that says how many. Shown to `ai.manage` tokens only.
import * as format from "../core/format.js";
import { html, live, nothing } from "../core/lit.js";

/** The bar over the table while models are selected (it stays in view while scrolling). */
export function selectionBar(page) {
  const selected = [...page.selection.values()];
  if (!selected.length && !page.progress) return nothing;
  const busy = Boolean(page.busy.act);
  return html`<section class="selection" aria-label="Selected models">
    <p><strong>${format.count(selected.length, "model")} selected</strong>
      <button type="button" class="link" @click=${() => page.clearSelection()}>Clear selection</button></p>
    ${page.progress ? html`<p role="status"><progress max=${page.progress.total} .value=${page.progress.done}></progress>
      ${page.progress.label} ${page.progress.done}/${page.progress.total}…</p>` : nothing}
    <div class="actions">
      <button type="button" ?disabled=${busy || !selected.some((m) => !m.savedInDb)} @click=${() => page.apply("save", selected)}>Save selected</button>
      <button type="button" class="primary" ?disabled=${busy || !selected.some((m) => !m.isActiveInDb)} @click=${() => page.apply("activate", selected)}>Activate selected</button>
      <button type="button" ?disabled=${busy || !selected.some((m) => m.isActiveInDb)} @click=${() => page.apply("deactivate", selected)}>Deactivate selected</button>
    </div>
  </section>`;
}

/** "Select all N (filtered)", beside the list's count. */
export function selectAll(page) {
  const list = page.list;
  if (!list || !list.totalCount || page.selection.size >= list.totalCount) return nothing;
  return html`<button type="button" class="link" ?disabled=${page.busy.select} @click=${() => page.selectAllFiltered()}>
    ${page.busy.select ? "Selecting…" : `Select all ${list.totalCount}${page.filtered() ? " filtered" : ""}`}</button>`;
}

/** Bulk sync and clear, in one compact row. */
export function toolsPanel(page) {
  return html`<section class="card tools" aria-label="Sync and clear">${syncForm(page)}${clearButtons(page)}</section>`;
}

function syncForm(page) {
  const sync = page.sync;
  const set = (key) => (event) => {
    page.sync = { ...sync, [key]: event.target.type === "checkbox" ? event.target.checked : event.target.value };
    page.ctx.update();
  };
  return html`<form class="tool" aria-labelledby="sync-title" @submit=${(event) => { event.preventDefault(); page.bulkSync(); }}>
    <h2 id="sync-title">Bulk sync <span class="muted">· save the best at once; new ones arrive inactive</span></h2>
    <div class="inline-form">
      <div class="field"><label for="sync-limit">How many</label>
        <input id="sync-limit" class="short" type="number" min="1" max="1000" required .value=${live(sync.limit)} @input=${set("limit")}></div>
      <div class="field"><label for="sync-capability">With capability</label>
        <select id="sync-capability" @change=${set("capability")}>
          <option value="" ?selected=${!sync.capability}>any</option>
          ${format.CAPABILITIES.map((c) => html`<option value=${c} ?selected=${sync.capability === c}>${format.capability(c)}</option>`)}
        </select></div>
      <label class="check"><input type="checkbox" .checked=${live(sync.activateFirst)} @change=${set("activateFirst")}> Activate the best if new</label>
      <button type="submit" class="primary" ?disabled=${page.busy.sync}>${page.busy.sync ? "Syncing…" : `Sync the ${sync.limit || "N"} best`}</button>
    </div>
  </form>`;
}

function clearButtons(page) {
  const saved = page.saved;
  return html`<div class="tool" role="group" aria-labelledby="clear-title">
    <h2 id="clear-title">Saved here <span class="muted">${saved ? `· ${saved.all} of ${page.provider}, ${saved.all - saved.inactive} active` : "· counting…"}</span></h2>
    <div class="inline-form">
      <button type="button" ?disabled=${!saved?.inactive || page.busy.clear} @click=${() => page.clear(true)}>Clear inactive (${saved?.inactive ?? "…"})</button>
      <button type="button" class="danger" ?disabled=${!saved?.all || page.busy.clear} @click=${() => page.clear(false)}>Clear all (${saved?.all ?? "…"})</button>
    </div>
  </div>`;
}
