import { html } from "../core/lit.js";
import { Page } from "../core/page.js";
import { pageHeader } from "../ui/components.js";

class NotFound extends Page {
  render() {
    return html`${pageHeader("Page not found")}
      <p>There is no console page at <code>${window.location.pathname}</code>, or this token may not
        open it. <a href=${this.ctx.href("/")}>Go to the start page</a>.</p>`;
  }
}

export default { path: "/404", title: "Not found", create: (ctx) => new NotFound(ctx) };
