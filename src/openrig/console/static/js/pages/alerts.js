import { html } from '../lib/preact.js';
export function AlertsPage() { return html`<p>Alerts</p>`; }
