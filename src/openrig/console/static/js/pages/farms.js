/**
 * The farms you belong to, and a form to create one.
 * @module pages/farms
 */
import { html } from '../lib/preact.js';
import { formValues, useAction, useAsync } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { useApp } from '../components/context.js';
import { EmptyState, ErrorNotice, Field, fieldError, Loading } from '../components/ui.js';

export function FarmsPage() {
  const { api, navigate } = useApp();
  const farms = useAsync(() => api.farms.list(), []);
  const create = useAction(async (values) => {
    const farm = await api.farms.create(values.name);
    navigate(href('farms', farm.id));
  });
  const items = farms.data ? farms.data.items : [];
  return html`<div class="page">
    <div class="page-head"><h1>Your farms</h1></div>
    <${ErrorNotice} error=${farms.error} />
    ${farms.loading && !farms.data && html`<${Loading} />`}
    ${farms.data && items.length === 0 &&
    html`<${EmptyState} title="No farm yet">
      <p>A farm holds your rigs, their groups and settings. Create one below, then add rigs to it.</p>
    </${EmptyState}>`}
    <ul class="tiles">
      ${items.map(
        (farm) => html`<li key=${farm.id}>
          <a class="tile" href=${href('farms', farm.id)}>
            <strong>${farm.name}</strong>
            <span class="muted">${farm.rig_count} ${farm.rig_count === 1 ? 'rig' : 'rigs'} · ${farm.role}</span>
          </a>
        </li>`,
      )}
    </ul>
    <form class="inline-form card" onSubmit=${(e) => create.run(formValues(e))}>
      <${Field} label="New farm name" name="name" required maxlength="100" error=${fieldError(create.error, 'name')} />
      <button class="primary" type="submit" disabled=${create.busy}>Create farm</button>
    </form>
    <${ErrorNotice} error=${create.error} />
  </div>`;
}
