/**
 * Hash routing, pure parts: parse `#/farms/abc?x=1`, match it against patterns
 * such as `/farms/:farmId`, and build hashes. Tested with node --test.
 * @module lib/router
 */

/**
 * @param {string} hash location.hash, e.g. "#/reset-password?token=abc"
 * @returns {{path: string, query: Record<string, string>}}
 */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '') || '/';
  const [pathPart, queryPart = ''] = raw.split(/\?(.*)/s);
  const path = `/${pathPart.replace(/^\/+|\/+$/g, '')}`;
  const query = Object.fromEntries(new URLSearchParams(queryPart));
  return { path, query };
}

/**
 * @param {string} pattern e.g. "/farms/:farmId/rigs"
 * @param {string} path e.g. "/farms/42/rigs"
 * @returns {Record<string, string>|null} the parameters, or null when it does not match
 */
export function matchPath(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

/**
 * @template R
 * @param {Array<R & {path: string}>} routes first match wins
 * @param {string} path
 * @returns {{route: R, params: Record<string, string>}|null}
 */
export function matchRoute(routes, path) {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/**
 * @param {...string} parts path segments, encoded one by one
 * @returns {string} e.g. href('farms', id) === "#/farms/<id>"
 */
export function href(...parts) {
  return `#/${parts.map((part) => encodeURIComponent(part)).join('/')}`;
}
