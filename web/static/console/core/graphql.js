// The console's only way to the service: GraphQL over HTTP to /graphql, exactly as a
// customer's frontend does it. Every failure becomes an ApiError carrying the API's own
// message and `extensions.code`, which pages show as they are.

/** Marks a GraphQL document (a test validates every one of them against the schema). */
export const gql = (strings, ...values) => {
  if (values.length) throw new Error("gql documents take variables, not interpolation");
  return strings.join("");
};

export class ApiError extends Error {
  constructor(message, code, { status = null, errors = [], data = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.errors = errors;
    this.data = data;
  }
}

export class GraphQLClient {
  /**
   * @param {string} endpoint the /graphql URL
   * @param {() => string | null} token the bearer token, read at each request
   * @param {(error: ApiError) => void} onUnauthenticated called when the token is refused
   */
  constructor(endpoint, token, onUnauthenticated = () => {}) {
    this.endpoint = endpoint;
    this.token = token;
    this.onUnauthenticated = onUnauthenticated;
  }

  async request(query, variables = {}, { signal, token } = {}) {
    const headers = {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json;q=0.9",
    };
    const bearer = token ?? this.token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    let response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables }),
        credentials: "omit",
        cache: "no-store",
        signal,
      });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError(`The service did not answer (${error.message}).`, "NETWORK_ERROR");
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(
        `The service answered HTTP ${response.status} without a GraphQL response.`,
        "BAD_RESPONSE",
        { status: response.status },
      );
    }
    const errors = body.errors ?? [];
    if (errors.length) {
      const first = errors[0];
      const error = new ApiError(first.message, first.extensions?.code ?? "UNKNOWN_ERROR", {
        status: response.status,
        errors,
        data: body.data ?? null,
      });
      if (error.code === "UNAUTHENTICATED" && token === undefined) this.onUnauthenticated(error);
      throw error;
    }
    return body.data;
  }
}
