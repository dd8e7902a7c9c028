// History-API routing under the console's base path (/admin): each page module declares a
// path pattern such as "/models/:provider?"; links inside the console navigate without a reload.

export function compile(pattern) {
  const parts = pattern.split("/").filter(Boolean);
  return (path) => {
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    const params = {};
    let i = 0;
    for (const part of parts) {
      const optional = part.endsWith("?");
      if (part.startsWith(":")) {
        const name = part.slice(1, optional ? -1 : undefined);
        if (i >= segments.length) {
          if (!optional) return null;
          continue;
        }
        params[name] = segments[i++];
      } else if (segments[i++] !== part) {
        return null;
      }
    }
    return i === segments.length ? params : null;
  };
}

export class Router {
  constructor(base, onChange) {
    this.base = base.replace(/\/$/, "");
    this.onChange = onChange;
    this.routes = [];
  }

  add(pattern, target) {
    this.routes.push({ match: compile(pattern), target });
  }

  /** The console path ("/models/openrouter") of the current URL. */
  get path() {
    const path = window.location.pathname;
    return path.startsWith(this.base) ? path.slice(this.base.length) || "/" : "/";
  }

  get query() {
    return new URLSearchParams(window.location.search);
  }

  resolve(path = this.path) {
    for (const route of this.routes) {
      const params = route.match(path);
      if (params) return { target: route.target, params };
    }
    return null;
  }

  href(path) {
    return `${this.base}${path}`;
  }

  navigate(path, { replace = false } = {}) {
    const url = this.href(path);
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    this.onChange();
  }

  /** Rewrites the query string (filters) without a new history entry or a page change. */
  setQuery(values) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) {
      if (value !== null && value !== undefined && value !== "" && value !== false) {
        query.set(key, String(value));
      }
    }
    const search = query.toString();
    history.replaceState(null, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
  }

  start() {
    window.addEventListener("popstate", () => this.onChange());
    document.addEventListener("click", (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target.closest?.("a[href]");
      if (!link || link.target || link.hasAttribute("download")) return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin) return;
      if (url.pathname !== this.base && !url.pathname.startsWith(`${this.base}/`)) return;
      event.preventDefault();
      history.pushState(null, "", url.pathname + url.search);
      this.onChange();
    });
  }
}
