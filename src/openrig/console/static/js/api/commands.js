/**
 * Commands to rigs: one rig, many rigs (selector), status and cancel.
 * @module api/commands
 */

const enc = encodeURIComponent;

/** @param {import('./client.js').Client} client */
export function commandsApi(client) {
  return {
    send: (rigId, type, args) =>
      client.post(`/rigs/${enc(rigId)}/commands`, args ? { type, args } : { type }),
    sendMany: (farmId, selector, type) =>
      client.post(`/farms/${enc(farmId)}/commands`, { selector, type }),
    list: (rigId, query = {}) => client.get(`/rigs/${enc(rigId)}/commands`, { limit: 20, ...query }),
    get: (id) => client.get(`/commands/${enc(id)}`),
    cancel: (id) => client.post(`/commands/${enc(id)}/cancel`),
  };
}
