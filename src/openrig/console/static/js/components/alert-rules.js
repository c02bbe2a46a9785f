/**
 * Alert rules of the farm layer: the effective rules as a table (with where each
 * value comes from) and the layer's overrides as JSON.
 * @module components/alert-rules
 */
import { html, useEffect, useState } from '../lib/preact.js';
import { useAction } from '../lib/hooks.js';
import { mergePatchBetween, parseObject, pretty } from '../lib/json.js';
import { formatDuration } from '../lib/format.js';
import { useApp } from './context.js';
import { ErrorNotice, Field } from './ui.js';

const COMMON = new Set(['enabled', 'severity', 'for_s', 'clear_for_s']);

/** @param {{farm: any, view: any, canOperate: boolean, onSaved: () => void}} props */
export function AlertRules({ farm, view, canOperate, onSaved }) {
  const { api, notify } = useApp();
  const [text, setText] = useState(pretty(view.layer));
  useEffect(() => setText(pretty(view.layer)), [view]);
  const parsed = parseObject(text);
  const save = useAction(async () => {
    if (parsed.error) throw new Error(parsed.error);
    await api.alerts.patchRules('farm', farm.id, mergePatchBetween(view.layer, parsed.value));
    notify('Alert rules saved.');
    onSaved();
  });
  const rules = Object.entries(view.effective);
  return html`<div>
    <div class="table-box"><table class="cards sources">
      <thead><tr><th>Rule</th><th>On</th><th>Severity</th><th>After</th><th>Settings</th></tr></thead>
      <tbody>${rules.map(([name, rule]) => html`<tr key=${name}>
        <td data-label="Rule"><code>${name}</code></td>
        <td data-label="On">${rule.enabled ? 'yes' : 'no'}</td>
        <td data-label="Severity"><span class=${`badge sev-${rule.severity}`}>${rule.severity}</span></td>
        <td data-label="After">${rule.for_s !== undefined ? formatDuration(rule.for_s) : 'at once'}</td>
        <td data-label="Settings">${Object.entries(rule).filter(([k]) => !COMMON.has(k)).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</td>
      </tr>`)}</tbody>
    </table></div>
    <form class="stack" onSubmit=${(e) => { e.preventDefault(); save.run(); }}>
      <${Field} label="Farm overrides (JSON merge patch over the defaults; groups and rigs can override further)"
        id="rules-json" as="textarea" class="code" rows="8" spellcheck="false" value=${text} readonly=${!canOperate}
        error=${parsed.error} onInput=${(e) => setText(e.currentTarget.value)} />
      <${ErrorNotice} error=${save.error} />
      ${canOperate && html`<div class="actions"><button class="primary" type="submit" disabled=${save.busy || Boolean(parsed.error)}>Save rules</button></div>`}
    </form>
  </div>`;
}
