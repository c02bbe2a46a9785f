/**
 * Bulk actions on the selected rigs, always behind a confirmation that names the
 * action and the number of rigs.
 * @module components/bulk-bar
 */
import { html, useState } from '../lib/preact.js';
import { BULK_ACTIONS, bulkRequest } from '../lib/bulk.js';
import { useApp } from './context.js';
import { ConfirmDialog } from './dialog.js';
import { ErrorNotice, Field } from './ui.js';

function ValueInput({ input, options, value, onInput }) {
  if (!input) return null;
  if (input === 'tags') {
    return html`<${Field} label="Tags" id="bulk-value" value=${value} placeholder="hot, row-3"
      onInput=${(e) => onInput(e.currentTarget.value)} />`;
  }
  if (input === 'json') {
    return html`<${Field} label="Config patch" id="bulk-value" as="textarea" rows="3" value=${value}
      placeholder='{"watchdog": {"max_temp_c": 80}}' onInput=${(e) => onInput(e.currentTarget.value)} />`;
  }
  const none = input === 'group' ? 'No group' : 'None (inherit)';
  return html`<${Field} label=${input === 'sheet' ? 'Flight sheet' : input === 'profile' ? 'OC profile' : 'Group'}
    id="bulk-value" as="select" value=${value} onChange=${(e) => onInput(e.currentTarget.value)}>
    <option value="">${none}</option>
    ${options.map((o) => html`<option key=${o.id} value=${o.id}>${o.name}</option>`)}
  </${Field}>`;
}

/**
 * @param {{farmId: string, rigs: any[], library: {sheets: any[], profiles: any[], groups: any[]},
 *   onDone: () => void, onClear: () => void}} props `rigs` are the selected rigs
 */
export function BulkBar({ farmId, rigs, library, onDone, onClear }) {
  const { api, notify } = useApp();
  const [key, setKey] = useState('flight_sheet_id');
  const [value, setValue] = useState('');
  const [pending, setPending] = useState(null);
  const [error, setError] = useState(null);
  const spec = BULK_ACTIONS.find((a) => a.key === key);
  const options = { sheet: library.sheets, profile: library.profiles, group: library.groups }[spec.input] || [];

  const review = (event) => {
    event.preventDefault();
    setError(null);
    try {
      const request = bulkRequest(key, value);
      const chosen = options.find((o) => o.id === value);
      const what = spec.command ? spec.label : `${spec.label}${spec.input && spec.input !== 'json' && spec.input !== 'tags' ? `: ${chosen ? chosen.name : 'none'}` : ''}`;
      setPending({ request, what });
    } catch (exc) {
      setError(exc);
    }
  };
  const apply = async () => {
    const selector = { rig_ids: rigs.map((r) => r.id) };
    const { request } = pending;
    const answer =
      request.kind === 'command'
        ? await api.commands.sendMany(farmId, selector, request.type)
        : await api.config.bulk(farmId, selector, request.action);
    notify(`${pending.what}: ${answer.count} ${answer.count === 1 ? 'rig' : 'rigs'} done.`);
    onDone();
  };
  return html`<form class="bulkbar card" onSubmit=${review} aria-label="Bulk actions">
    <strong>${rigs.length} selected</strong>
    <${Field} label="Action" id="bulk-action" as="select" value=${key}
      onChange=${(e) => { setKey(e.currentTarget.value); setValue(''); }}>
      ${BULK_ACTIONS.map((a) => html`<option key=${a.key} value=${a.key}>${a.label}</option>`)}
    </${Field}>
    <${ValueInput} input=${spec.input} options=${options} value=${value} onInput=${setValue} />
    <div class="actions">
      <button type="submit" class="primary">Apply…</button>
      <button type="button" class="secondary" onClick=${onClear}>Clear selection</button>
    </div>
    <${ErrorNotice} error=${error} />
    ${pending && html`<${ConfirmDialog} title=${`${pending.what} on ${rigs.length} ${rigs.length === 1 ? 'rig' : 'rigs'}?`}
      confirmLabel=${spec.command ? spec.label : 'Apply'} danger=${spec.command}
      onConfirm=${apply} onClose=${() => setPending(null)}>
      <p>This changes ${rigs.length === 1 ? 'this rig' : `all ${rigs.length} rigs`}:</p>
      <ul class="names">${rigs.slice(0, 8).map((r) => html`<li key=${r.id}>${r.name}</li>`)}
        ${rigs.length > 8 && html`<li>… and ${rigs.length - 8} more</li>`}</ul>
    </${ConfirmDialog}>`}
  </form>`;
}
