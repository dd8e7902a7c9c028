// Who is signed in. The token lives in sessionStorage only (gone when the tab closes, never in
// a URL, never in localStorage), under the key GraphiQL's page reads too.
import { gql } from "./graphql.js";

export const TOKEN_KEY = "ams.token";

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
    this.viewer = data.viewer;
    return this.viewer;
  }

  /** On load: the token kept in this tab, if it is still valid. */
  async restore(api) {
    const token = this.token;
    if (!token) return null;
    try {
      this.viewer = (await api.request(VIEWER, {}, { token })).viewer;
    } catch (error) {
      if (error.code === "UNAUTHENTICATED") this.signOut();
      else throw error;
    }
    return this.viewer;
  }

  signOut() {
    this.storage.removeItem(TOKEN_KEY);
    this.viewer = null;
  }
}
