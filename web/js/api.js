// The chat API as a user token sees it: every request carries the token in the Authorization header,
// never in its URL. Errors come back as ApiError, holding the problem+json body the API answered.

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** Worth trying again with the same Idempotency-Key: the server was not reached, or said "later". */
  get transient() {
    return this.status === 0 || this.status === 503 || this.status === 502 || this.status === 504 || this.status === 429;
  }
}

export function api(token) {
  async function request(method, path, { body, headers = {} } = {}) {
    const init = {
      method,
      cache: 'no-store',
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...headers },
    };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached' });
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, json ?? { title: response.statusText }, response.headers.get('Retry-After'));
    }
    return json;
  }

  return {
    get: (path) => request('GET', path),
    post: (path, body, headers) => request('POST', path, { body, headers }),
    put: (path, body) => request('PUT', path, { body }),
    delete: (path) => request('DELETE', path),
  };
}

/** A query string from the entries of an object whose value is neither null nor empty. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The claims of a JWT, for display only (the server verifies it); null when it is not one. */
export function claims(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/** An Idempotency-Key: 128 random bits (crypto.getRandomValues works outside secure contexts too). */
export function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
