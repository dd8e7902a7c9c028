// The base of every page: named tasks with their loading state and error, re-rendering the
// app when either changes, and cancelled when the admin leaves the page.

export class Page {
  /** @param {import("../app.js").PageContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    this.busy = {};
    this.errors = {};
  }

  /** Called once the page is shown; start loading here. */
  enter() {}

  /** Called when the admin navigates away: timers stop here. */
  leave() {}

  /**
   * Runs `work` as task `name`: `this.busy[name]` while it runs, `this.errors[name]` if it
   * fails (the API's error, shown by the page). Resolves to its result, or undefined.
   */
  async task(name, work) {
    // a task started again (a new search while the last is loading) supersedes the earlier
    // run: only the latest one's end clears the loading state or reports an error
    this.runs ??= {};
    const run = (this.runs[name] = (this.runs[name] ?? 0) + 1);
    const latest = () => this.runs[name] === run;
    this.busy = { ...this.busy, [name]: true };
    this.errors = { ...this.errors, [name]: null };
    this.ctx.update();
    try {
      return await work(this.ctx.signal);
    } catch (error) {
      if (error.name !== "AbortError" && !this.ctx.signal.aborted && latest()) {
        this.errors = { ...this.errors, [name]: error };
      }
      return undefined;
    } finally {
      if (latest()) this.busy = { ...this.busy, [name]: false };
      this.ctx.update();
    }
  }

  /** The first error of the given tasks (or of all), for one error box. */
  error(...names) {
    const keys = names.length ? names : Object.keys(this.errors);
    return keys.map((key) => this.errors[key]).find(Boolean) ?? null;
  }

  dismiss(name) {
    this.errors = { ...this.errors, [name]: null };
    this.ctx.update();
  }
}
