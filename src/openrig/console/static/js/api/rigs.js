/**
 * Rigs, groups and tags (`/farms/{id}/rigs`, `/rigs/*`, `/groups/*`, `/farms/{id}/tags`).
 * @module api/rigs
 */

const enc = encodeURIComponent;

/** @param {import('./client.js').Client} client */
export function rigsApi(client) {
  return {
    /** @param {{q?: string, status?: string, group_id?: string, tag?: string, sort?: string, limit?: number, offset?: number}} [filters] */
    list: (farmId, filters = {}) =>
      client.get(`/farms/${enc(farmId)}/rigs`, { limit: 500, ...filters }),
    get: (id) => client.get(`/rigs/${enc(id)}`),
    create: (farmId, rig) => client.post(`/farms/${enc(farmId)}/rigs`, rig),
    update: (id, fields) => client.patch(`/rigs/${enc(id)}`, fields),
    remove: (id) => client.del(`/rigs/${enc(id)}`),
    /**
     * URL of the rig's rig.conf; the CSRF token rides in the query so a plain link
     * downloads it in one click. Every download issues a new rig token.
     */
    rigConfUrl: (id) => client.url(`/rigs/${enc(id)}/rig.conf`, { csrf: client.csrf() }),
    tags: (farmId) => client.get(`/farms/${enc(farmId)}/tags`, { limit: 500 }),
  };
}

/** @param {import('./client.js').Client} client */
export function groupsApi(client) {
  return {
    list: (farmId) => client.get(`/farms/${enc(farmId)}/groups`, { limit: 500 }),
    get: (id) => client.get(`/groups/${enc(id)}`),
    create: (farmId, name) => client.post(`/farms/${enc(farmId)}/groups`, { name }),
    rename: (id, name) => client.patch(`/groups/${enc(id)}`, { name }),
    remove: (id) => client.del(`/groups/${enc(id)}`),
  };
}
