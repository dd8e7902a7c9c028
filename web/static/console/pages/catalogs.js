// The price catalogs: where prices and metadata come from when a provider's list has none, the
// version and date of the data in use, and how many models each knows per provider. Newer
// data is fetched by `ai-model-sync catalogs update` on the server (never from the browser).
import { gql } from "../core/graphql.js";
import { html, nothing } from "../core/lit.js";
import { Page } from "../core/page.js";
import { errorBox, loading, pageHeader } from "../ui/components.js";

const CATALOGS = gql`
  query ConsoleCatalogs {
    catalogs { name version dataDate origin source coverage { kind models } }
  }
`;

class Catalogs extends Page {
  enter() {
    this.task("load", async (signal) => {
      this.catalogs = (await this.ctx.api.request(CATALOGS, {}, { signal })).catalogs;
    });
  }

  render() {
    return html`
      ${pageHeader("Price catalogs", "OpenAI, Anthropic, Groq, Gemini and Mistral list no prices: these catalogs fill what a list leaves empty. A provider's own figure always wins; a filled one is marked with the catalog and its version.")}
      ${errorBox(this.errors.load, { retry: () => this.enter() })}
      ${this.busy.load && !this.catalogs ? loading("Loading the catalogs") : nothing}
      ${this.catalogs ? this.table() : nothing}
      <p class="muted">Newer data: run <code>ai-model-sync catalogs update</code> on the server (it needs internet), then restart the workers.</p>`;
  }

  table() {
    return html`<div class="table-wrap"><table class="data catalogs">
      <caption class="visually-hidden">Catalogs in use</caption>
      <thead><tr><th scope="col">Catalog</th><th scope="col">Version</th><th scope="col">Data of</th>
        <th scope="col">Read from</th><th scope="col">Models per provider</th></tr></thead>
      <tbody>${this.catalogs.map((c) => html`<tr>
        <td data-label="Catalog"><strong>${c.name}</strong><code>${c.source}</code></td>
        <td data-label="Version">${c.version}</td>
        <td data-label="Data of">${c.dataDate ?? "as installed"}</td>
        <td data-label="Read from">${c.origin}</td>
        <td data-label="Models per provider">${c.coverage.map((k) => `${k.kind} ${k.models}`).join(", ")}</td>
      </tr>`)}</tbody>
    </table></div>`;
  }
}

export default {
  path: "/catalogs",
  title: "Price catalogs",
  nav: "Catalogs",
  requires: "ai.read",
  create: (ctx) => new Catalogs(ctx),
};
