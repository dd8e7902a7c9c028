// The console's pages, in navigation order. A feature adds its page by writing one module in
// this folder (a default export: path, title, nav, requires, create) and listing it here.
import catalogs from "./catalogs.js";
import audit from "./audit.js";
import changes from "./changes.js";
import curation from "./curation.js";
import drift from "./drift.js";
import models from "./models.js";
import providers from "./providers.js";
import saved from "./saved.js";
import webhooks from "./webhooks.js";

export const PAGES = [models, saved, curation, drift, changes, webhooks, providers, catalogs, audit];
