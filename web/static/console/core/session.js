// Who is signed in. The token lives in sessionStorage only (gone when the tab closes, never in
// a URL, never in localStorage), under the key GraphiQL's page reads too.
import { gql } from "./graphql.js";

export const TOKEN_KEY = "ams.token";
const VIEWER_KEY = "ams.viewer"; // who the token is (name, permissions): no secret in it

const VIEWER = gql`
  query ConsoleViewer {
    viewer { name permissions canManage }
  }
`;

export class Session {
  constructor(storage = window.sessionStorage) {
    this.storage = storage;
    this.viewer = null;
  }

  get token() {
    return this.storage.getItem(TOKEN_KEY);
  }

  get signedIn() {
    return this.viewer !== null;
  }

  get canManage() {
    return Boolean(this.viewer?.canManage);
  }

  /** Whether the signed-in token holds `permission` (`ai.manage` implies `ai.read`). */
  may(permission) {
    if (!this.viewer) return false;
    return permission === "ai.read" || this.canManage;
  }

  /** Checks `token` with the API before keeping it; throws the API's error otherwise. */
  async signIn(api, token) {
    const clean = token.trim().replace(/^bearer\s+/i, "");
    const data = await api.request(VIEWER, {}, { token: clean });
    this.storage.setItem(TOKEN_KEY, clean);
    this.remember(data.viewer);
    return this.viewer;
  }

  /**
   * On load: the token kept in this tab. What it was checked to be is remembered too, so the
   * console shows at once while `verify()` asks again; a revoked token is refused by the first
   * request anyway (UNAUTHENTICATED signs the tab out).
   */
  restore() {
    const known = this.storage.getItem(VIEWER_KEY);
    if (this.token && known) this.viewer = JSON.parse(known);
    return this.viewer;
  }

  /** Asks the API who the kept token is; signs out if it is refused. */
  async verify(api) {
    const token = this.token;
    if (!token) return null;
    try {
      this.remember((await api.request(VIEWER, {}, { token })).viewer);
    } catch (error) {
      if (error.code === "UNAUTHENTICATED") this.signOut();
      else throw error;
    }
    return this.viewer;
  }

  remember(viewer) {
    this.viewer = viewer;
    this.storage.setItem(VIEWER_KEY, JSON.stringify(viewer));
  }

  signOut() {
    this.storage.removeItem(TOKEN_KEY);
    this.storage.removeItem(VIEWER_KEY);
    this.viewer = null;
  }
}
