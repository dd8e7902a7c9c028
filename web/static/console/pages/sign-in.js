// Sign in with a bearer token: checked with the API (`viewer`) before it is kept, for this
// tab only. The form never submits anywhere: the token cannot end up in a URL or a log.
import { html, nothing } from "../core/lit.js";
import { Page } from "../core/page.js";
import { errorBox } from "../ui/components.js";

class SignIn extends Page {
  async submit(event) {
    event.preventDefault();
    const token = new FormData(event.target).get("token")?.toString() ?? "";
    if (!token.trim()) {
      this.errors = { signIn: { code: "BAD_USER_INPUT", message: "Paste a token first." } };
      this.ctx.update();
      return;
    }
    const viewer = await this.task("signIn", () => this.ctx.session.signIn(this.ctx.api, token));
    if (viewer) {
      this.ctx.announce(`Signed in as ${viewer.name}${viewer.canManage ? "" : " (read-only)"}.`);
      this.ctx.signedIn();
    }
  }

  render() {
    return html`<section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" tabindex="-1">Sign in to the console</h1>
      <p>Paste an API token. Create one on the server with
        <code>ai-model-sync token create admin</code> (or <code>--permission ai.read</code> for a
        read-only console). It is kept in this browser tab only, until you sign out or close it.</p>
      <form @submit=${(event) => this.submit(event)} autocomplete="off">
        <div class="field">
          <label for="token">Token</label>
          <input id="token" name="token" type="password" autocomplete="off" spellcheck="false"
            placeholder="ams_…" required aria-describedby="token-hint" data-autofocus>
          <small id="token-hint">Sent only as <code>Authorization: Bearer …</code> to this service.</small>
        </div>
        ${errorBox(this.errors.signIn)}
        <button class="primary" type="submit" ?disabled=${this.busy.signIn}>
          ${this.busy.signIn ? "Checking…" : "Sign in"}</button>
      </form>
      ${nothing}
    </section>`;
  }
}

export default {
  path: "/sign-in",
  title: "Sign in",
  create: (ctx) => new SignIn(ctx),
};
