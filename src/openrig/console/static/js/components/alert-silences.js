/**
 * Silences: mute alerts of the farm, a group, a rig and/or one rule for a while.
 * @module components/alert-silences
 */
import { html } from '../lib/preact.js';
import { formValues, useAction, useAsync } from '../lib/hooks.js';
import { formatTime } from '../lib/format.js';
import { useApp } from './context.js';
import { ErrorNotice, Field, fieldError, Loading } from './ui.js';

/** @param {{farm: any, canOperate: boolean, groups: any[], rules: string[]}} props */
export function AlertSilences({ farm, canOperate, groups, rules }) {
  const { api } = useApp();
  const silences = useAsync(() => api.alerts.silences(farm.id), [farm.id]);
  const create = useAction(async (v, form) => {
    const hours = Number(v.hours);
    if (!(hours > 0)) throw new Error('The duration must be a positive number of hours.');
    const body = { ends_at: new Date(Date.now() + hours * 3600000).toISOString(), comment: v.comment };
    if (v.group_id) body.group_id = v.group_id;
    if (v.rule) body.rule = v.rule;
    await api.alerts.createSilence(farm.id, body);
    form.reset();
    await silences.reload();
  });
  const end = useAction(async (id) => {
    await api.alerts.removeSilence(id);
    await silences.reload();
  });
  const groupName = (id) => (groups.find((g) => g.id === id) || { name: id }).name;
  return html`<div>
    <${ErrorNotice} error=${silences.error || end.error} />
    ${!silences.data ? html`<${Loading} />` : silences.data.length === 0
      ? html`<p class="muted">No silence. Rigs in maintenance mode are silent anyway.</p>`
      : html`<ul class="list">${silences.data.map((s) => html`<li key=${s.id} class="list-row">
          <div class="grow">
            <strong>${s.rig_id ? 'One rig' : s.group_id ? `Group ${groupName(s.group_id)}` : 'Whole farm'}${s.rule ? ` · ${s.rule}` : ''}</strong>
            ${s.active ? html` <span class="badge">active</span>` : ''}
            <div class="muted">${formatTime(s.starts_at)} → ${formatTime(s.ends_at)}${s.comment ? ` · ${s.comment}` : ''}</div>
          </div>
          ${canOperate && html`<button type="button" class="secondary" onClick=${() => end.run(s.id)}>End</button>`}
        </li>`)}</ul>`}
    ${canOperate && html`<h3>New silence</h3>
      <form class="inline-form" onSubmit=${(e) => create.run(formValues(e), e.currentTarget)}>
        <${Field} label="Scope" id="silence-group" name="group_id" as="select">
          <option value="">Whole farm</option>
          ${groups.map((g) => html`<option key=${g.id} value=${g.id}>Group ${g.name}</option>`)}
        </${Field}>
        <${Field} label="Rule" id="silence-rule" name="rule" as="select">
          <option value="">All rules</option>
          ${rules.map((r) => html`<option key=${r} value=${r}>${r}</option>`)}
        </${Field}>
        <${Field} label="Hours" id="silence-hours" name="hours" type="number" min="0.25" step="0.25" value="2" required />
        <${Field} label="Comment" id="silence-comment" name="comment" maxlength="200" error=${fieldError(create.error, 'comment')} />
        <button class="primary" type="submit" disabled=${create.busy}>Silence</button>
      </form>
      <${ErrorNotice} error=${create.error} />`}
  </div>`;
}
