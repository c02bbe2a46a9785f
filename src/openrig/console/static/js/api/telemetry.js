/**
 * Farm summary, metric series (columnar, ready for uPlot) and activity logs.
 * @module api/telemetry
 */

const enc = encodeURIComponent;

/** @param {import('./client.js').Client} client */
export function telemetryApi(client) {
  return {
    summary: (farmId) => client.get(`/farms/${enc(farmId)}/summary`),
    /** @param {{from: string, to: string, step?: number}} window ISO times */
    rigMetrics: (rigId, window) => client.get(`/rigs/${enc(rigId)}/metrics`, window),
    farmMetrics: (farmId, window) => client.get(`/farms/${enc(farmId)}/metrics`, window),
    farmActivity: (farmId, query = {}) => client.get(`/farms/${enc(farmId)}/activity`, query),
    rigActivity: (rigId, query = {}) => client.get(`/rigs/${enc(rigId)}/activity`, query),
  };
}
