/**
 * Farms, members, enrollment key and enroll.conf (`/farms/*`).
 * @module api/farms
 */

const enc = encodeURIComponent;

/** @param {import('./client.js').Client} client */
export function farmsApi(client) {
  return {
    list: () => client.get('/farms', { limit: 500 }),
    get: (id) => client.get(`/farms/${enc(id)}`),
    create: (name) => client.post('/farms', { name }),
    rename: (id, name) => client.patch(`/farms/${enc(id)}`, { name }),
    remove: (id) => client.del(`/farms/${enc(id)}`),
    members: (id) => client.get(`/farms/${enc(id)}/members`, { limit: 500 }),
    addMember: (id, email, role) => client.post(`/farms/${enc(id)}/members`, { email, role }),
    setRole: (id, user_id, role) => client.patch(`/farms/${enc(id)}/members`, { user_id, role }),
    removeMember: (id, user_id) => client.del(`/farms/${enc(id)}/members`, { user_id }),
    enrollKey: (id) => client.get(`/farms/${enc(id)}/enroll-key`),
    rotateEnrollKey: (id) => client.post(`/farms/${enc(id)}/enroll-key`),
    revokeEnrollKey: (id) => client.del(`/farms/${enc(id)}/enroll-key`),
    /** URL of enroll.conf (a plain GET: a link downloads it). */
    enrollConfUrl: (id) => client.url(`/farms/${enc(id)}/enroll.conf`),
  };
}
