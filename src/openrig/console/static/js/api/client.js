/**
 * The one HTTP client of the console: base URL, cookie auth, the CSRF header on
 * every state-changing request, JSON in and out, and the API's one error shape
 * `{"error": {"code", "message", "details": [{"path", "message"}]}}`.
 * Resource modules (api/*.js) build on it; pages never call fetch directly.
 * @module api/client
 */

/** @typedef {{path: string, message: string}} ErrorDetail */

/** An API answer that was not 2xx, or a network failure (status 0). */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 = no answer)
   * @param {string} code machine-readable code, e.g. "not_found", "validation_error"
   * @param {string} message human-readable message from the server
   * @param {ErrorDetail[]} [details] per-field problems
   */
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /**
   * The message of the detail at `path` (or under it), if any.
   * @param {string} path e.g. "name" or "miner.pools.0.url"
   * @returns {string|undefined}
   */
  detailFor(path) {
    const hit = this.details.find((d) => d.path === path || d.path.startsWith(`${path}.`));
    return hit ? hit.message : undefined;
  }
}

const STATUS_TEXT = {
  400: 'Bad request',
  401: 'Please log in',
  403: 'You are not allowed to do that',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  422: 'Invalid input',
  429: 'Too many attempts; wait a little',
  500: 'Server error',
  502: 'Server unreachable',
  503: 'Server unavailable',
};

/**
 * Turn a non-2xx answer into an ApiError, whatever the body holds.
 * @param {number} status
 * @param {unknown} body parsed JSON body, or null when it was not JSON
 * @returns {ApiError}
 */
export function parseError(status, body) {
  const error = body && typeof body === 'object' ? /** @type {any} */ (body).error : null;
  const fallback = STATUS_TEXT[status] || `HTTP ${status}`;
  if (!error || typeof error !== 'object') {
    return new ApiError(status, `http_${status}`, fallback, []);
  }
  const details = Array.isArray(error.details)
    ? error.details
        .filter((d) => d && typeof d === 'object')
        .map((d) => ({ path: String(d.path ?? ''), message: String(d.message ?? '') }))
    : [];
  const code = typeof error.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error.message === 'string' && error.message ? error.message : fallback;
  return new ApiError(status, code, message, details);
}

/**
 * A query string from an object; null, undefined and '' are left out, arrays repeat.
 * @param {Record<string, unknown>} [query]
 * @returns {string} "" or "?a=1&b=2"
 */
export function buildQuery(query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * @typedef {object} Client
 * @property {(method: string, path: string, options?: {body?: unknown, query?: object, signal?: AbortSignal}) => Promise<any>} request
 * @property {(path: string, query?: object) => Promise<any>} get
 * @property {(path: string, body?: unknown) => Promise<any>} post
 * @property {(path: string, body?: unknown) => Promise<any>} patch
 * @property {(path: string, query?: object) => Promise<any>} del
 * @property {(path: string, query?: object) => string} url absolute-path URL for links
 * @property {(token: string|null) => void} setCsrf
 * @property {() => string|null} csrf
 * @property {(listener: (error: ApiError) => void) => void} onUnauthorized
 */

/**
 * @param {{base?: string, fetchImpl?: typeof fetch}} [options]
 * @returns {Client}
 */
export function createClient({ base = '/api/v1', fetchImpl } = {}) {
  let csrfToken = null;
  const unauthorized = [];
  const doFetch = fetchImpl || ((...args) => fetch(...args));

  async function request(method, path, { body, query, signal } = {}) {
    const headers = { Accept: 'application/json' };
    if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
    const init = { method, headers, credentials: 'same-origin', signal };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await doFetch(base + path + buildQuery(query), init);
    } catch (exc) {
      if (exc && exc.name === 'AbortError') throw exc;
      throw new ApiError(0, 'network_error', 'The server did not answer; check the connection.');
    }
    const type = response.headers.get('Content-Type') || '';
    const parsed = type.includes('application/json') ? await response.json().catch(() => null) : null;
    if (response.ok) return response.status === 204 ? null : parsed ?? (await response.text());
    const error = parseError(response.status, parsed);
    if (response.status === 401) unauthorized.forEach((listener) => listener(error));
    throw error;
  }

  return {
    request,
    get: (path, query) => request('GET', path, { query }),
    post: (path, body) => request('POST', path, { body }),
    patch: (path, body) => request('PATCH', path, { body }),
    del: (path, query) => request('DELETE', path, { query }),
    url: (path, query) => base + path + buildQuery(query),
    setCsrf: (token) => {
      csrfToken = token || null;
    },
    csrf: () => csrfToken,
    onUnauthorized: (listener) => unauthorized.push(listener),
  };
}
