/**
 * Config layers, flight sheets, OC profiles, bulk changes, history and the miner
 * registry (see docs/config.md).
 * @module api/fleetconfig
 */

const enc = encodeURIComponent;

/** Paths of the three editable layers by kind. */
const LAYER_PATH = {
  farm: (id) => `/farms/${enc(id)}/config`,
  group: (id) => `/groups/${enc(id)}/config`,
  rig: (id) => `/rigs/${enc(id)}/config`,
};

/** @param {import('./client.js').Client} client */
export function configApi(client) {
  /** @param {'flight-sheets'|'oc-profiles'} kind */
  const library = (kind) => ({
    list: (farmId) => client.get(`/farms/${enc(farmId)}/${kind}`),
    create: (farmId, body) => client.post(`/farms/${enc(farmId)}/${kind}`, body),
    update: (farmId, id, body) => client.patch(`/farms/${enc(farmId)}/${kind}/${enc(id)}`, body),
    remove: (farmId, id) => client.del(`/farms/${enc(farmId)}/${kind}/${enc(id)}`),
  });
  return {
    /** @param {'farm'|'group'|'rig'} kind */
    layer: (kind, id) => client.get(LAYER_PATH[kind](id)),
    /** @param {'farm'|'group'|'rig'} kind @param {{config?: object, flight_sheet_id?: string|null, oc_profile_id?: string|null}} patch */
    patchLayer: (kind, id, patch) => client.patch(LAYER_PATH[kind](id), patch),
    sheets: library('flight-sheets'),
    profiles: library('oc-profiles'),
    /** @param {{rig_ids?: string[], group_id?: string, tag?: string, all?: true}} selector */
    bulk: (farmId, selector, action) =>
      client.post(`/farms/${enc(farmId)}/bulk`, { selector, action }),
    history: (farmId, query = {}) => client.get(`/farms/${enc(farmId)}/history`, query),
    restore: (farmId, entryId) =>
      client.post(`/farms/${enc(farmId)}/history/${enc(entryId)}/restore`),
    miners: () => client.get('/miners'),
  };
}
