// GraphiQL's bootstrap, served as a file so the page's CSP needs no inline script.
//
// The bearer token is kept in sessionStorage under the key the console uses: paste it once,
// here or at the console's sign-in, and both send it for as long as the browser tab lives.
// It never goes into a URL. GraphiQL's own storage (tabs, queries, variables, headers) is
// sessionStorage too: a provider API key typed into an `addProvider` mutation must not
// outlive the tab (as it would in localStorage, GraphiQL's default).
"use strict";

(function () {
  var TOKEN_KEY = "ams.token";
  var VIEWER_KEY = "ams.viewer"; // the console's note of who the token is: stale once it changes
  var endpoint = document.querySelector('meta[name="ams-graphql"]').content;
  var form = document.getElementById("ams-token");
  var input = document.getElementById("ams-token-input");
  var state = document.getElementById("ams-token-state");

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  }

  function showState() {
    var value = token();
    state.textContent = value ? "token set (…" + value.slice(-4) + ")" : "no token: operations are refused";
    input.value = "";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = input.value.trim().replace(/^bearer\s+/i, "");
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      sessionStorage.removeItem(VIEWER_KEY);
    }
    showState();
    render();
  });
  document.getElementById("ams-token-forget").addEventListener("click", function () {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(VIEWER_KEY);
    showState();
    render();
  });
  showState();

  // The API refuses every request without a token (HTTP 401), introspection included: without
  // one, answer here, in GraphQL's shape, instead of sending a request bound to be refused.
  var NO_TOKEN = {
    errors: [
      {
        message: "No token: paste a bearer token above (ai-model-sync token create admin).",
        extensions: { code: "UNAUTHENTICATED" },
      },
    ],
  };

  function fetcher(params, options) {
    var headers = {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json",
    };
    if (token()) headers.Authorization = "Bearer " + token();
    Object.assign(headers, (options && options.headers) || {}); // the header editor wins
    if (!headers.Authorization && !headers.authorization) return Promise.resolve(NO_TOKEN);
    return fetch(endpoint, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(params),
      credentials: "omit",
    }).then(function (response) {
      return response.json();
    });
  }

  var DEFAULT_QUERY = [
    "# Paste your token above (ai-model-sync token create admin), then run this with Ctrl-Enter.",
    "# Docs (the book icon) describes every field; the explorer (the compass) builds queries.",
    "query CheapestMini {",
    '  availableModels(provider: "openrouter", search: "mini", sort: {field: INPUT_PRICE}, first: 20) {',
    "    totalCount fetchedAt stale error",
    "    models { modelId name inputPrice outputPrice contextWindow savedInDb isActiveInDb }",
    "  }",
    "}",
    "",
  ].join("\n");

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  // mounted again when the token changes, so the schema is fetched with the new one
  function render() {
    root.render(
      React.createElement(GraphiQL, {
        key: token() || "no token",
        fetcher: fetcher,
        storage: window.sessionStorage,
        defaultQuery: DEFAULT_QUERY,
        plugins: [GraphiQLPluginExplorer.explorerPlugin()],
        defaultEditorToolsVisibility: true,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
        inputValueDeprecation: true,
      }),
    );
  }
  render();
})();
