/**
 * The app context: what every page needs, handed down instead of globals.
 * @module components/context
 */
import { createContext, useContext } from '../lib/preact.js';

/**
 * @typedef {object} AppState
 * @property {import('../api/index.js').Api} api
 * @property {{id: string, email: string, is_admin: boolean}|null} user
 * @property {(user: object|null) => void} setUser
 * @property {(hash: string) => void} navigate
 * @property {(message: string, kind?: 'ok'|'error') => void} notify
 */

export const AppContext = createContext(/** @type {AppState|null} */ (null));

/** @returns {AppState} */
export function useApp() {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside AppContext');
  return app;
}
