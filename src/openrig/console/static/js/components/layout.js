/**
 * Page chrome: the top header (farms, account, log out) and the farm frame, which
 * loads the farm once and shows its navigation around a farm page.
 * @module components/layout
 */
import { html } from '../lib/preact.js';
import { useAsync } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { useApp } from './context.js';
import { ErrorNotice, Loading } from './ui.js';

/** The header shown to logged-in users. */
export function Header() {
  const { api, user, setUser, navigate } = useApp();
  const logout = async () => {
    try {
      await api.auth.logout();
    } finally {
      setUser(null);
      navigate('#/login');
    }
  };
  return html`<header class="topbar">
    <a class="brand" href="#/">openrig</a>
    <nav aria-label="Account">
      <a href="#/">Farms</a>
      <a href="#/account" title=${user.email}>Account</a>
      <button type="button" class="link" onClick=${logout}>Log out</button>
    </nav>
  </header>`;
}

const FARM_TABS = [
  ['dashboard', 'Rigs', []],
  ['groups', 'Groups', ['groups']],
  ['tags', 'Tags', ['tags']],
  ['flight-sheets', 'Flight sheets', ['flight-sheets']],
  ['oc-profiles', 'OC profiles', ['oc-profiles']],
  ['config', 'Farm config', ['config']],
  ['history', 'History', ['history']],
  ['alerts', 'Alerts', ['alerts']],
  ['settings', 'Settings', ['settings']],
];

/** Tabs of a farm; scrolls sideways inside its own box on narrow screens. */
export function FarmNav({ farm, active }) {
  return html`<nav class="farmnav" aria-label="Farm">
    ${FARM_TABS.map(
      ([key, label, parts]) =>
        html`<a href=${href('farms', farm.id, ...parts)} aria-current=${key === active ? 'page' : undefined}>${label}</a>`,
    )}
  </nav>`;
}

/**
 * Load the farm and render `children(farm)` under its title and tabs.
 * @param {{farmId: string, active: string, title?: string, children: (farm: any) => any}} props
 */
export function FarmFrame({ farmId, active, title, children }) {
  const { api } = useApp();
  const farm = useAsync(() => api.farms.get(farmId), [farmId]);
  if (farm.error) return html`<div class="page"><${ErrorNotice} error=${farm.error} /></div>`;
  if (!farm.data) return html`<div class="page"><${Loading} /></div>`;
  return html`<div class="page">
    <div class="page-head">
      ${title
        ? html`<p class="crumb"><a href=${href('farms', farm.data.id)}>${farm.data.name}</a></p>
            <h1>${title}</h1>`
        : html`<h1>${farm.data.name}</h1>`}
    </div>
    <${FarmNav} farm=${farm.data} active=${active} />
    ${children(farm.data)}
  </div>`;
}

/** Whether `role` is at least `needed` (viewer < operator < admin < owner). */
export function atLeast(role, needed) {
  const order = ['viewer', 'operator', 'admin', 'owner'];
  return order.indexOf(role) >= order.indexOf(needed);
}
