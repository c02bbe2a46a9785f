/**
 * Config history entries with a before/after view and one-click restore.
 * @module components/history-list
 */
import { html, useState } from '../lib/preact.js';
import { useAsync } from '../lib/hooks.js';
import { formatTime } from '../lib/format.js';
import { pretty } from '../lib/json.js';
import { useApp } from './context.js';
import { ConfirmDialog } from './dialog.js';
import { ErrorNotice, Loading } from './ui.js';

const PAGE = 20;

/**
 * @param {{farmId: string, layerKind?: string, layerId?: string, canRestore: boolean,
 *   onRestored?: () => void}} props
 */
export function HistoryList({ farmId, layerKind, layerId, canRestore, onRestored }) {
  const { api, notify } = useApp();
  const [offset, setOffset] = useState(0);
  const [restoring, setRestoring] = useState(null);
  const page = useAsync(
    () => api.config.history(farmId, { layer_kind: layerKind, layer_id: layerId, limit: PAGE, offset }),
    [farmId, layerKind, layerId, offset],
  );
  const restore = async () => {
    const answer = await api.config.restore(farmId, restoring.id);
    notify(`Restored; ${answer.rigs_affected} ${answer.rigs_affected === 1 ? 'rig' : 'rigs'} affected.`);
    await page.reload();
    if (onRestored) onRestored();
  };
  if (page.error) return html`<${ErrorNotice} error=${page.error} />`;
  if (!page.data) return html`<${Loading} />`;
  const { items, total } = page.data;
  if (total === 0) return html`<p class="muted">No changes recorded yet.</p>`;
  return html`<ul class="list history">
      ${items.map((entry) => html`<li key=${entry.id} class="list-row">
        <div class="grow">
          <strong>${entry.layer_kind.replace('_', ' ')}${entry.layer_name ? ` “${entry.layer_name}”` : ''}</strong>
          <span class="badge">${entry.action}</span>
          <div class="muted">${formatTime(entry.at)} · ${entry.actor_email || 'system'}</div>
          <details><summary>Before / after</summary>
            <div class="diff"><pre aria-label="before">${pretty(entry.before)}</pre><pre aria-label="after">${pretty(entry.after)}</pre></div>
          </details>
        </div>
        ${canRestore && entry.after && html`<button type="button" class="secondary" onClick=${() => setRestoring(entry)}>Restore</button>`}
      </li>`)}
    </ul>
    <div class="actions">
      ${offset > 0 && html`<button type="button" class="secondary" onClick=${() => setOffset(Math.max(0, offset - PAGE))}>Newer</button>`}
      ${offset + PAGE < total && html`<button type="button" class="secondary" onClick=${() => setOffset(offset + PAGE)}>Older</button>`}
    </div>
    ${restoring && html`<${ConfirmDialog} title="Restore this state?" confirmLabel="Restore"
      onConfirm=${restore} onClose=${() => setRestoring(null)}>
      <p>The ${restoring.layer_kind.replace('_', ' ')} goes back to how it was after this change of ${formatTime(restoring.at)}; every rig it reaches gets the new config.</p>
    </${ConfirmDialog}>`}`;
}
