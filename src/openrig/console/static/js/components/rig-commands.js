/**
 * Commands of one rig: buttons to queue them (reboot and shutdown behind a
 * confirmation) and the recent ones with status and output, refreshed by the page.
 * @module components/rig-commands
 */
import { html, useState } from '../lib/preact.js';
import { useAction } from '../lib/hooks.js';
import { formatAgo } from '../lib/format.js';
import { useApp } from './context.js';
import { ConfirmDialog } from './dialog.js';
import { ErrorNotice } from './ui.js';

const BUTTONS = [
  ['restart_miner', 'Restart miner', false],
  ['stop_miner', 'Stop miner', false],
  ['start_miner', 'Start miner', false],
  ['apply_oc', 'Apply OC', false],
  ['reboot', 'Reboot', true],
  ['shutdown', 'Shut down', true],
];
const LABEL = Object.fromEntries(BUTTONS.map(([type, label]) => [type, label]));
const PENDING = new Set(['queued', 'delivered', 'started']);

/** Whether any command in the list may still change (the page polls faster then). */
export const anyPending = (commands) => commands.some((c) => PENDING.has(c.status));

/**
 * @param {{rig: any, commands: any[], canOperate: boolean, onQueued: () => void}} props
 */
export function RigCommands({ rig, commands, canOperate, onQueued }) {
  const { api, notify } = useApp();
  const [confirming, setConfirming] = useState(null);
  const send = useAction(async (type) => {
    await api.commands.send(rig.id, type);
    notify(`${LABEL[type]} queued for ${rig.name}.`);
    onQueued();
  });
  const cancel = useAction(async (id) => {
    await api.commands.cancel(id);
    onQueued();
  });
  return html`<div>
    ${canOperate && html`<div class="actions wrap" aria-label="Send a command">
      ${BUTTONS.map(([type, label, dangerous]) => html`<button key=${type} type="button"
        class=${dangerous ? 'danger' : 'secondary'} disabled=${send.busy}
        onClick=${() => (dangerous ? setConfirming(type) : send.run(type))}>${label}</button>`)}
    </div>`}
    <${ErrorNotice} error=${send.error || cancel.error} />
    ${commands.length === 0
      ? html`<p class="muted">No commands yet.</p>`
      : html`<ul class="list commands">
          ${commands.map((c) => html`<li key=${c.id} class="list-row" data-command-id=${c.id}>
            <div class="grow">
              <strong>${LABEL[c.type] || c.type}</strong>
              <span class=${`badge cmd-${c.status}`}>${c.status}</span>
              <span class="muted"> ${formatAgo(c.created_at)}${c.exit_code !== null ? ` · exit ${c.exit_code}` : ''}</span>
              ${c.output && html`<pre class="output">${c.output}</pre>`}
            </div>
            ${canOperate && (c.status === 'queued' || c.status === 'delivered') &&
            html`<button type="button" class="secondary" onClick=${() => cancel.run(c.id)}>Cancel</button>`}
          </li>`)}
        </ul>`}
    ${confirming && html`<${ConfirmDialog} title=${`${LABEL[confirming]} ${rig.name}?`} confirmLabel=${LABEL[confirming]} danger
      onConfirm=${() => send.run(confirming)} onClose=${() => setConfirming(null)}>
      <p>The miner stops while the rig ${confirming === 'reboot' ? 'reboots' : 'is off; someone must power it on again'}.</p>
    </${ConfirmDialog}>`}
  </div>`;
}
