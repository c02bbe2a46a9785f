/**
 * An activity log (farm or rig): newest first, "older" pages by `before`.
 * @module components/activity
 */
import { html, useState } from '../lib/preact.js';
import { useAsync } from '../lib/hooks.js';
import { formatTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { ErrorNotice, Loading } from './ui.js';

/** @param {{load: (query: object) => Promise<{items: any[], next_before: number|null}>, showRig?: boolean}} props */
export function ActivityLog({ load, showRig }) {
  const [before, setBefore] = useState(null);
  const page = useAsync(() => load(before ? { before, limit: 30 } : { limit: 30 }), [before]);
  if (page.error) return html`<${ErrorNotice} error=${page.error} />`;
  if (!page.data) return html`<${Loading} />`;
  if (page.data.items.length === 0) return html`<p class="muted">Nothing happened yet.</p>`;
  return html`<ul class="log">
      ${page.data.items.map(
        (a) => html`<li key=${a.id}>
          <time datetime=${a.at}>${formatTime(a.at)}</time>
          <span class="badge">${a.kind}</span>
          ${showRig && a.rig_id && html`<a href=${href('rigs', a.rig_id)}>${a.rig_name}</a>`}
          <span>${a.message}</span>
        </li>`,
      )}
    </ul>
    <div class="actions">
      ${before && html`<button type="button" class="secondary" onClick=${() => setBefore(null)}>Newest</button>`}
      ${page.data.next_before && html`<button type="button" class="secondary" onClick=${() => setBefore(page.data.next_before)}>Older</button>`}
    </div>`;
}
