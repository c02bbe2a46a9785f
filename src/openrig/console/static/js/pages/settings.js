/**
 * Farm settings: name, power price, exec permission (admin), enrollment key and
 * enroll.conf (admin), members and roles, deleting the farm (owner).
 * @module pages/settings
 */
import { html, useState } from '../lib/preact.js';
import { formValues, useAction, useAsync } from '../lib/hooks.js';
import { useApp } from '../components/context.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { ConfirmDialog } from '../components/dialog.js';
import { ErrorNotice, Field, fieldError, Loading, Section } from '../components/ui.js';

const ROLES = ['viewer', 'operator', 'admin', 'owner'];

function General({ farm, onChanged }) {
  const { api, notify } = useApp();
  const layer = useAsync(() => api.config.layer('farm', farm.id), [farm.id]);
  const canOperate = atLeast(farm.role, 'operator');
  const canAdmin = atLeast(farm.role, 'admin');
  const rename = useAction(async (values) => {
    await api.farms.rename(farm.id, values.name);
    notify('Farm renamed.');
    onChanged();
  });
  const power = useAction(async (values) => {
    const price = Number(values.price);
    if (!Number.isFinite(price)) throw new Error('The price must be a number.');
    await api.config.patchLayer('farm', farm.id, { config: { power_price_per_kwh: price, currency: values.currency.toUpperCase() } });
    notify('Power price saved.');
    await layer.reload();
  });
  const exec = useAction(async (allowed) => {
    await api.config.patchLayer('farm', farm.id, { config: { exec_allowed: allowed } });
    notify(allowed ? 'Exec commands allowed.' : 'Exec commands refused.');
    await layer.reload();
  });
  const config = layer.data ? layer.data.config : null;
  return html`<${Section} title="Farm">
    <form class="inline-form" onSubmit=${(e) => rename.run(formValues(e))}>
      <${Field} label="Farm name" id="farm-name" name="name" value=${farm.name} required maxlength="100"
        disabled=${!canAdmin} error=${fieldError(rename.error, 'name')} />
      ${canAdmin && html`<button class="primary" type="submit" disabled=${rename.busy}>Rename</button>`}
    </form>
    <${ErrorNotice} error=${layer.error || rename.error} />
    ${!config ? html`<${Loading} />` : html`
      <form class="inline-form" onSubmit=${(e) => power.run(formValues(e))}>
        <${Field} label="Power price per kWh" id="power-price" name="price" type="number" step="0.001" min="0" max="1000"
          value=${config.power_price_per_kwh ?? 0.1} disabled=${!canOperate} error=${fieldError(power.error, 'power_price_per_kwh')} />
        <${Field} label="Currency" id="power-currency" name="currency" value=${config.currency ?? 'USD'} pattern="[A-Za-z]{3}"
          maxlength="3" disabled=${!canOperate} error=${fieldError(power.error, 'currency')} />
        ${canOperate && html`<button class="primary" type="submit" disabled=${power.busy}>Save price</button>`}
      </form>
      <${ErrorNotice} error=${power.error} />
      <div class="field">
        <label class="check"><input type="checkbox" checked=${Boolean(config.exec_allowed)} disabled=${!canAdmin || exec.busy}
          onChange=${(e) => exec.run(e.currentTarget.checked)} /> Allow “exec” commands (run any shell line on the farm's rigs)</label>
        <small class="muted">${canAdmin ? 'Admins only; every exec is logged.' : 'Only farm admins can change this.'}</small>
      </div>
      <${ErrorNotice} error=${exec.error} />`}
  </${Section}>`;
}

function EnrollKey({ farm }) {
  const { api } = useApp();
  const key = useAsync(() => api.farms.enrollKey(farm.id), [farm.id]);
  const [confirm, setConfirm] = useState(null);
  const [shown, setShown] = useState(false);
  const act = async () => {
    const answer = confirm === 'rotate' ? await api.farms.rotateEnrollKey(farm.id) : await api.farms.revokeEnrollKey(farm.id);
    key.setData(answer);
  };
  const value = key.data && key.data.enroll_key;
  return html`<${Section} title="Enrollment key">
    <p class="muted">Rigs booting with <code>enroll.conf</code> register themselves with this key. Anyone holding it can add rigs: rotate it if it leaked (rigs already enrolled keep working).</p>
    <${ErrorNotice} error=${key.error} />
    ${key.data && html`
      ${value
        ? html`<div class="field"><label for="enroll-key">Key</label>
            <input id="enroll-key" class="secret" readonly type=${shown ? 'text' : 'password'} value=${value} /></div>
          <div class="actions wrap">
            <button type="button" class="secondary" onClick=${() => setShown(!shown)}>${shown ? 'Hide' : 'Show'} key</button>
            <a class="button primary" href=${api.farms.enrollConfUrl(farm.id)} download="enroll.conf">Download enroll.conf</a>
            <button type="button" class="secondary" onClick=${() => setConfirm('rotate')}>Rotate…</button>
            <button type="button" class="danger" onClick=${() => setConfirm('revoke')}>Revoke…</button>
          </div>`
        : html`<p>No key: enrollment is off.</p>
          <button type="button" class="primary" onClick=${() => setConfirm('rotate')}>Issue a key</button>`}`}
    ${confirm && html`<${ConfirmDialog} title=${confirm === 'rotate' ? 'Issue a new enrollment key?' : 'Revoke the enrollment key?'}
      confirmLabel=${confirm === 'rotate' ? 'Issue new key' : 'Revoke'} danger onConfirm=${act} onClose=${() => setConfirm(null)}>
      <p>${confirm === 'rotate' ? 'Old enroll.conf files stop working for new rigs; download the new one.' : 'No new rig can enroll until you issue a new key.'}</p>
    </${ConfirmDialog}>`}
  </${Section}>`;
}

function Members({ farm }) {
  const { api, user } = useApp();
  const members = useAsync(() => api.farms.members(farm.id), [farm.id]);
  const [removing, setRemoving] = useState(null);
  const canAdmin = atLeast(farm.role, 'admin');
  const add = useAction(async (values, form) => {
    await api.farms.addMember(farm.id, values.email, values.role);
    form.reset();
    await members.reload();
  });
  const setRole = useAction(async (userId, role) => {
    await api.farms.setRole(farm.id, userId, role);
    await members.reload();
  });
  return html`<${Section} title="Members">
    <${ErrorNotice} error=${members.error || setRole.error} />
    ${!members.data ? html`<${Loading} />` : html`<ul class="list">
      ${members.data.items.map((m) => html`<li key=${m.user_id} class="list-row">
        <div class="grow"><strong class="wrap-anywhere">${m.email}</strong>${m.user_id === user.id ? ' (you)' : ''}</div>
        ${canAdmin
          ? html`<${Field} label="Role" id=${`role-${m.user_id}`} as="select" value=${m.role}
              onChange=${(e) => setRole.run(m.user_id, e.currentTarget.value)}>
              ${ROLES.map((r) => html`<option key=${r} value=${r}>${r}</option>`)}
            </${Field}>
            <button type="button" class="danger" onClick=${() => setRemoving(m)}>Remove</button>`
          : html`<span class="badge">${m.role}</span>`}
      </li>`)}
    </ul>`}
    ${canAdmin && html`<form class="inline-form" onSubmit=${(e) => add.run(formValues(e), e.currentTarget)}>
      <${Field} label="Email of an existing user" id="member-email" name="email" type="email" required error=${fieldError(add.error, 'email')} />
      <${Field} label="Role" id="member-role" name="role" as="select">
        ${ROLES.slice(0, 3).map((r) => html`<option key=${r} value=${r}>${r}</option>`)}
      </${Field}>
      <button class="primary" type="submit" disabled=${add.busy}>Add member</button>
    </form>
    <${ErrorNotice} error=${add.error} />`}
    <p class="muted">Viewers read; operators change config, rigs and send commands; admins manage members, the enrollment key and exec; owners can delete the farm.</p>
    ${removing && html`<${ConfirmDialog} title=${`Remove ${removing.email}?`} confirmLabel="Remove" danger
      onConfirm=${async () => { await api.farms.removeMember(farm.id, removing.user_id); await members.reload(); }}
      onClose=${() => setRemoving(null)}><p>They lose access to this farm at once.</p></${ConfirmDialog}>`}
  </${Section}>`;
}

function DeleteFarm({ farm }) {
  const { api, navigate } = useApp();
  const [open, setOpen] = useState(false);
  return html`<${Section} title="Delete farm">
    <p class="muted">Deletes the farm with all its rigs, config, history and metrics.</p>
    <button type="button" class="danger" onClick=${() => setOpen(true)}>Delete this farm…</button>
    ${open && html`<${ConfirmDialog} title=${`Delete ${farm.name} and its ${farm.rig_count} rigs?`} confirmLabel="Delete farm" danger
      onConfirm=${async () => { await api.farms.remove(farm.id); navigate('#/'); }} onClose=${() => setOpen(false)}>
      <p>This cannot be undone. The rigs keep mining with their last config but stop reporting.</p>
    </${ConfirmDialog}>`}
  </${Section}>`;
}

function Settings({ farm }) {
  const [version, setVersion] = useState(0);
  return html`<${General} key=${version} farm=${farm} onChanged=${() => setVersion(version + 1)} />
    ${atLeast(farm.role, 'admin') && html`<${EnrollKey} farm=${farm} />`}
    <${Members} farm=${farm} />
    ${farm.role === 'owner' && html`<${DeleteFarm} farm=${farm} />`}`;
}

export function SettingsPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="settings" title="Farm settings">
    ${(farm) => html`<${Settings} farm=${farm} />`}
  </${FarmFrame}>`;
}
