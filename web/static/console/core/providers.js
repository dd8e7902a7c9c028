// The providers a page can pick from: every registry kind (configured by the environment or
// its defaults) and every active stored instance, loaded once and shared by the pages.
import { gql } from "./graphql.js";

export const PROVIDERS = gql`
  query ConsoleProviders {
    providers {
      kinds { kind displayName defaultBaseUrl needsKey docsUrl }
      instances { id slug kind displayName baseUrl hasApiKey apiKeyLast4 ttl isActive }
    }
  }
`;

export class ProviderDirectory {
  constructor(api) {
    this.api = api;
    this.pending = null;
  }

  /** `{kinds, instances, choices}`; `choices` are `{slug, label}` to list models from.
   * `token`: ask with this one (a prefetch before sign-in is confirmed). */
  load(signal, token) {
    this.pending ??= this.api.request(PROVIDERS, {}, { signal, token }).then(
      ({ providers }) => ({ ...providers, choices: choices(providers) }),
      (error) => {
        this.pending = null;
        throw error;
      },
    );
    return this.pending;
  }

  /** After adding, changing or deactivating a provider. */
  forget() {
    this.pending = null;
  }
}

function choices({ kinds, instances }) {
  const found = new Map();
  for (const instance of instances) {
    if (instance.isActive) {
      found.set(instance.slug, { slug: instance.slug, label: `${instance.displayName} (${instance.slug})` });
    }
  }
  for (const kind of kinds) {
    if (!found.has(kind.kind) && !instances.some((i) => i.slug === kind.kind)) {
      found.set(kind.kind, { slug: kind.kind, label: `${kind.displayName} (${kind.kind})` });
    }
  }
  return [...found.values()];
}

export const LAST_PROVIDER = "ams.provider";

/** The provider a page opens on: the URL's, else the last one used in this tab, else OpenRouter. */
export function pick(choices, wanted) {
  const slugs = choices.map((choice) => choice.slug);
  for (const slug of [wanted, sessionStorage.getItem(LAST_PROVIDER), "openrouter"]) {
    if (slug && slugs.includes(slug)) return slug;
  }
  return slugs[0] ?? null;
}

export function remember(slug) {
  sessionStorage.setItem(LAST_PROVIDER, slug);
}
