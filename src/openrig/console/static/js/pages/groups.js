/**
 * Groups of the farm: list, create, rename, delete (their rigs become ungrouped).
 * @module pages/groups
 */
import { html, useState } from '../lib/preact.js';
import { formValues, useAction, useAsync } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { useApp } from '../components/context.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { ConfirmDialog } from '../components/dialog.js';
import { EmptyState, ErrorNotice, Field, fieldError, Loading, Section } from '../components/ui.js';

function Groups({ farm }) {
  const { api } = useApp();
  const groups = useAsync(() => api.groups.list(farm.id), [farm.id]);
  const [deleting, setDeleting] = useState(null);
  const [renaming, setRenaming] = useState(null);
  const canEdit = atLeast(farm.role, 'operator');
  const create = useAction(async (values, form) => {
    await api.groups.create(farm.id, values.name);
    form.reset();
    await groups.reload();
  });
  const rename = useAction(async (values) => {
    await api.groups.rename(renaming, values.name);
    setRenaming(null);
    await groups.reload();
  });
  if (groups.error) return html`<${ErrorNotice} error=${groups.error} />`;
  if (!groups.data) return html`<${Loading} />`;
  return html`<${Section} title="Groups">
    ${groups.data.items.length === 0 && html`<${EmptyState} title="No groups yet">
      <p>Groups let you give many rigs the same flight sheet, OC profile or settings at once.</p></${EmptyState}>`}
    <ul class="list">
      ${groups.data.items.map((g) => html`<li key=${g.id} class="list-row">
        ${renaming === g.id
          ? html`<form class="inline-form grow" onSubmit=${(e) => rename.run(formValues(e))}>
              <${Field} label="Group name" id=${`rename-${g.id}`} name="name" value=${g.name} required maxlength="100" error=${fieldError(rename.error, 'name')} />
              <button class="primary" type="submit">Save</button>
              <button class="secondary" type="button" onClick=${() => setRenaming(null)}>Cancel</button>
            </form>`
          : html`<div class="grow"><a href=${href('farms', farm.id, 'groups', g.id)}><strong>${g.name}</strong></a>
              <div class="muted">${g.rig_count} ${g.rig_count === 1 ? 'rig' : 'rigs'}</div></div>
            <a class="button secondary" href=${href('farms', farm.id, 'groups', g.id)}>Config</a>
            ${canEdit && html`<button type="button" class="secondary" onClick=${() => setRenaming(g.id)}>Rename</button>
              <button type="button" class="danger" onClick=${() => setDeleting(g)}>Delete</button>`}`}
      </li>`)}
    </ul>
    <${ErrorNotice} error=${rename.error && !fieldError(rename.error, 'name') ? rename.error : null} />
    ${canEdit && html`<form class="inline-form" onSubmit=${(e) => create.run(formValues(e), e.currentTarget)}>
      <${Field} label="New group name" id="new-group" name="name" required maxlength="100" error=${fieldError(create.error, 'name')} />
      <button class="primary" type="submit" disabled=${create.busy}>Create group</button>
    </form>
    <${ErrorNotice} error=${create.error} />`}
    ${deleting && html`<${ConfirmDialog} title=${`Delete group ${deleting.name}?`} confirmLabel="Delete" danger
      onConfirm=${async () => { await api.groups.remove(deleting.id); await groups.reload(); }}
      onClose=${() => setDeleting(null)}>
      <p>Its ${deleting.rig_count} rigs stay in the farm without a group and lose the group's settings.</p>
    </${ConfirmDialog}>`}
  </${Section}>`;
}

export function GroupsPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="groups" title="Groups">
    ${(farm) => html`<${Groups} farm=${farm} />`}
  </${FarmFrame}>`;
}
