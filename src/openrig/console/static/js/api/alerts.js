/**
 * Alerts: active and past alerts, rule layers (farm ← group ← rig), silences,
 * notification channels (email, Telegram, webhook) with test sends and the
 * Telegram `/start <code>` link.
 * @module api/alerts
 */

const enc = encodeURIComponent;
const RULE_PATH = {
  farm: (id) => `/farms/${enc(id)}/alert-rules`,
  group: (id) => `/groups/${enc(id)}/alert-rules`,
  rig: (id) => `/rigs/${enc(id)}/alert-rules`,
};

/** @param {import('./client.js').Client} client */
export function alertsApi(client) {
  return {
    /** @param {{state?: 'active'|'pending'|'firing'|'resolved', rig_id?: string, limit?: number, offset?: number}} [query] */
    list: (farmId, query = {}) => client.get(`/farms/${enc(farmId)}/alerts`, query),
    /** @param {'farm'|'group'|'rig'} kind */
    rules: (kind, id) => client.get(RULE_PATH[kind](id)),
    patchRules: (kind, id, patch) => client.patch(RULE_PATH[kind](id), patch),
    silences: (farmId) => client.get(`/farms/${enc(farmId)}/silences`),
    /** @param {{group_id?: string, rig_id?: string, rule?: string, ends_at: string, comment?: string}} silence */
    createSilence: (farmId, silence) => client.post(`/farms/${enc(farmId)}/silences`, silence),
    updateSilence: (id, fields) => client.patch(`/silences/${enc(id)}`, fields),
    removeSilence: (id) => client.del(`/silences/${enc(id)}`),
    channels: (farmId) => client.get(`/farms/${enc(farmId)}/channels`),
    /** @param {{kind: 'email'|'telegram'|'webhook', name: string, config: object, policy?: object}} channel */
    createChannel: (farmId, channel) => client.post(`/farms/${enc(farmId)}/channels`, channel),
    updateChannel: (id, fields) => client.patch(`/channels/${enc(id)}`, fields),
    removeChannel: (id) => client.del(`/channels/${enc(id)}`),
    testChannel: (id) => client.post(`/channels/${enc(id)}/test`),
    notifications: (id) => client.get(`/channels/${enc(id)}/notifications`, { limit: 10 }),
    startTelegramLink: (farmId) => client.post(`/farms/${enc(farmId)}/channels/telegram/link`),
    telegramLink: (farmId, code) => client.get(`/farms/${enc(farmId)}/channels/telegram/link/${enc(code)}`),
  };
}
