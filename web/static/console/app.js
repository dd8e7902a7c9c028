// The console's shell: sign-in, navigation, the page registry, the confirmation dialog and
// the status messages. Pages live in pages/ and are listed in pages/index.js.
import { GraphQLClient } from "./core/graphql.js";
import { createRef, html, nothing, ref, render } from "./core/lit.js";
import { ProviderDirectory } from "./core/providers.js";
import { Router } from "./core/router.js";
import { Session } from "./core/session.js";
import { PAGES } from "./pages/index.js";
import notFound from "./pages/not-found.js";
import signIn from "./pages/sign-in.js";

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? "";

/**
 * @typedef {object} PageContext What a page receives.
 * @property {GraphQLClient} api
 * @property {Session} session
 * @property {ProviderDirectory} providers
 * @property {Record<string, string>} params the route's parameters
 * @property {URLSearchParams} query the URL's query string
 * @property {AbortSignal} signal aborted when the page is left
 * @property {() => void} update re-render
 * @property {(callback: () => void) => void} afterRender run once the next render is done
 * @property {(path: string, options?: {replace?: boolean}) => void} navigate
 * @property {(path: string) => string} href
 * @property {(values: object) => void} setQuery
 * @property {(message: string) => void} announce
 * @property {(request: {title: string, body: string, confirm: string, danger?: boolean}) => Promise<boolean>} confirm
 */

class Console {
  constructor(root) {
    this.root = root;
    this.graphiql = meta("ams-graphiql");
    this.session = new Session();
    this.api = new GraphQLClient(meta("ams-graphql"), () => this.session.token, () => this.expired());
    this.providers = new ProviderDirectory(this.api);
    this.router = new Router(meta("ams-base"), () => this.route());
    for (const page of PAGES) this.router.add(page.path, page);
    this.messages = [];
    this.dialog = null;
    this.dialogRef = createRef();
    this.page = null;
    this.scheduled = false;
    this.rendered = [];
  }

  async start() {
    this.router.start();
    if (this.session.restore()) {
      // known from this tab's sign-in: show the page now, check the token meanwhile
      this.route();
      const shown = JSON.stringify(this.session.viewer);
      this.session.verify(this.api).then(
        (viewer) => { if (JSON.stringify(viewer) !== shown) this.route(); },
        (error) => this.failed(error),
      );
      return;
    }
    // a token without what it was checked to be (GraphiQL's token field set it): ask first,
    // and for the providers meanwhile (most pages need them)
    if (this.session.token) this.providers.load(undefined, this.session.token).catch(() => {});
    await this.session.verify(this.api).catch((error) => this.failed(error));
    this.route();
  }

  failed(error) {
    this.bootError = error;
    this.update();
  }

  update() {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (!this.rendering) this.root.replaceChildren(); // the page's "Loading the console…"
      this.rendering = true;
      render(this.view(), this.root);
      if (this.dialog && !this.dialogRef.value?.open) this.dialogRef.value?.showModal();
      const callbacks = this.rendered;
      this.rendered = [];
      for (const callback of callbacks) callback();
    });
  }

  route() {
    this.page?.controller.abort();
    this.page?.instance.leave();
    const visible = PAGES.filter((page) => this.session.may(page.requires));
    let module = signIn;
    let params = {};
    if (this.session.signedIn) {
      const found = this.router.resolve();
      if (this.router.path === "/" && visible.length) {
        this.router.navigate(visible[0].navPath ?? visible[0].path, { replace: true });
        return;
      }
      module = found && this.session.may(found.target.requires) ? found.target : notFound;
      params = found?.params ?? {};
    }
    const controller = new AbortController();
    const ctx = this.context(params, controller.signal);
    this.page = { module, controller, instance: module.create(ctx) };
    document.title = `${module.title} · ai-model-sync`;
    this.update();
    this.page.instance.enter();
    // focus follows navigation: a page's first field if it asks for it, else its heading
    this.afterRender(() => (this.root.querySelector("main [data-autofocus]") ?? this.root.querySelector("main h1"))?.focus({ preventScroll: true }));
  }

  context(params, signal) {
    return {
      api: this.api,
      session: this.session,
      providers: this.providers,
      params,
      query: this.router.query,
      signal,
      update: () => this.update(),
      afterRender: (callback) => this.afterRender(callback),
      navigate: (path, options) => this.router.navigate(path, options),
      href: (path) => this.router.href(path),
      setQuery: (values) => this.router.setQuery(values),
      announce: (message) => this.announce(message),
      confirm: (request) => this.confirm(request),
      signedIn: () => this.route(),
    };
  }

  afterRender(callback) {
    this.rendered.push(callback);
    this.update();
  }

  expired() {
    this.session.signOut();
    this.announce("The token was refused (UNAUTHENTICATED): sign in again.");
    this.route();
  }

  signOut() {
    this.session.signOut();
    this.providers.forget();
    this.router.navigate("/", { replace: true });
  }

  announce(message) {
    const entry = { id: Math.random(), message };
    this.messages = [...this.messages.slice(-2), entry];
    this.update();
    setTimeout(() => {
      this.messages = this.messages.filter((m) => m !== entry);
      this.update();
    }, 8000);
  }

  confirm(request) {
    return new Promise((resolve) => {
      this.dialog = { ...request, resolve };
      this.update();
    });
  }

  closeDialog(answer) {
    const dialog = this.dialog;
    this.dialog = null;
    this.dialogRef.value?.close();
    this.update();
    dialog?.resolve(answer);
  }

  view() {
    const { module, instance } = this.page;
    return html`
      <a class="skip" href="#main">Skip to content</a>
      ${this.header(module)}
      <main id="main" class=${module === signIn ? "sign-in" : ""}>
        ${this.bootError ? html`<div class="notice error" role="alert"><p><strong class="code">${this.bootError.code}</strong> ${this.bootError.message}</p></div>` : nothing}
        ${instance.render()}
      </main>
      <div class="messages" role="status" aria-live="polite">
        ${this.messages.map((m) => html`<p class="message">${m.message}</p>`)}
      </div>
      ${this.dialogView()}
    `;
  }

  header(current) {
    const viewer = this.session.viewer;
    const visible = PAGES.filter((page) => page.nav && this.session.may(page.requires));
    return html`<header class="app-header">
      <a class="brand" href=${this.router.href("/")}>ai-model-sync</a>
      ${viewer ? html`<nav aria-label="Console">
        <ul>${visible.map((page) => html`<li><a href=${this.router.href(page.navPath ?? page.path)}
          aria-current=${page === current ? "page" : nothing}>${page.nav}</a></li>`)}
          ${this.graphiql ? html`<li><a href=${this.graphiql}>GraphiQL</a></li>` : nothing}
        </ul>
      </nav>
      <div class="viewer">
        <span>${viewer.name}</span>
        ${viewer.canManage ? nothing : html`<span class="badge neutral">read-only</span>`}
        <button type="button" class="quiet" @click=${() => this.signOut()}>Sign out</button>
      </div>` : nothing}
    </header>`;
  }

  dialogView() {
    const dialog = this.dialog;
    return html`<dialog ${ref(this.dialogRef)} aria-labelledby="dialog-title"
        @cancel=${(event) => { event.preventDefault(); this.closeDialog(false); }}>
      ${dialog ? html`<form method="dialog" @submit=${(event) => { event.preventDefault(); this.closeDialog(true); }}>
        <h2 id="dialog-title">${dialog.title}</h2>
        <p>${dialog.body}</p>
        <div class="actions">
          <button type="button" @click=${() => this.closeDialog(false)}>Cancel</button>
          <button type="submit" class=${dialog.danger ? "danger" : "primary"} autofocus>${dialog.confirm}</button>
        </div>
      </form>` : nothing}
    </dialog>`;
  }
}

// let the browser paint the page's "Loading the console…" before the console's first render
requestAnimationFrame(() => setTimeout(() => new Console(document.getElementById("app")).start()));
