/**
 * Accounts: sign-up, login, sessions, password, API tokens (`/auth/*`).
 * Login, signup and me hand the CSRF token to the client.
 * @module api/auth
 */

/** @param {import('./client.js').Client} client */
export function authApi(client) {
  const keepCsrf = (answer) => {
    client.setCsrf(answer && answer.csrf_token);
    return answer;
  };
  return {
    signup: (email, password) => client.post('/auth/signup', { email, password }).then(keepCsrf),
    login: (email, password) => client.post('/auth/login', { email, password }).then(keepCsrf),
    me: () => client.get('/auth/me').then(keepCsrf),
    logout: () => client.post('/auth/logout').finally(() => client.setCsrf(null)),
    changePassword: (current_password, new_password) =>
      client.post('/auth/password', { current_password, new_password }),
    requestReset: (email) => client.post('/auth/password-reset', { email }),
    confirmReset: (token, new_password) =>
      client.post('/auth/password-reset/confirm', { token, new_password }),
    verifyEmail: (token) => client.post('/auth/verify-email', { token }),
    sessions: () => client.get('/auth/sessions'),
    revokeSession: (id) => client.del(`/auth/sessions/${encodeURIComponent(id)}`),
    tokens: () => client.get('/auth/tokens'),
    createToken: (name, scope) => client.post('/auth/tokens', { name, scope }),
    revokeToken: (id) => client.del(`/auth/tokens/${encodeURIComponent(id)}`),
  };
}
