/**
 * A list of alerts (active or past) with rig links, severity and silence marks.
 * @module components/alert-list
 */
import { html } from '../lib/preact.js';
import { formatAgo, formatTime } from '../lib/format.js';
import { href } from '../lib/router.js';

/** @param {{alerts: any[], past?: boolean, onSilence?: (alert: any) => void}} props */
export function AlertList({ alerts, past, onSilence }) {
  if (alerts.length === 0) {
    return html`<p class="muted">${past ? 'No resolved alerts yet.' : 'No active alert: every rig is fine.'}</p>`;
  }
  return html`<ul class="list alerts">
    ${alerts.map((a) => html`<li key=${a.id} class="list-row" data-alert-id=${a.id}>
      <div class="grow">
        <span class=${`badge sev-${a.severity}`}>${a.severity}</span>
        <span class="badge">${a.state}</span>
        ${a.silenced && html`<span class="badge" title=${a.silenced_by || ''}>silenced</span>`}
        <a href=${href('rigs', a.rig_id)}><strong>${a.rig_name}</strong></a> ${a.title}
        <div class="muted">${a.summary}</div>
        <div class="muted">${past
          ? `${formatTime(a.fired_at || a.started_at)} → ${formatTime(a.resolved_at)}`
          : `since ${formatAgo(a.fired_at || a.started_at)}`}</div>
      </div>
      ${onSilence && !a.silenced && html`<button type="button" class="secondary" onClick=${() => onSilence(a)}>Silence 2 h</button>`}
    </li>`)}
  </ul>`;
}
