/**
 * Account: change password, see and revoke sessions, create and revoke API tokens.
 * @module pages/account
 */
import { html, useState } from '../lib/preact.js';
import { formValues, useAction, useAsync } from '../lib/hooks.js';
import { formatAgo, formatTime } from '../lib/format.js';
import { useApp } from '../components/context.js';
import { ConfirmDialog } from '../components/dialog.js';
import { EmptyState, ErrorNotice, Field, fieldError, Loading, Section } from '../components/ui.js';

function PasswordForm() {
  const { api, notify } = useApp();
  const change = useAction(async (values, form) => {
    await api.auth.changePassword(values.current_password, values.new_password);
    form.reset();
    notify('Password changed; your other sessions were logged out.');
  });
  const submit = (event) => change.run(formValues(event), event.currentTarget);
  return html`<${Section} title="Password">
    <form class="stack narrow" onSubmit=${submit}>
      <${Field} label="Current password" name="current_password" type="password"
        autocomplete="current-password" required error=${fieldError(change.error, 'current_password')} />
      <${Field} label="New password" name="new_password" type="password" autocomplete="new-password"
        minlength="10" required error=${fieldError(change.error, 'new_password')} />
      <${ErrorNotice} error=${change.error} />
      <button class="primary" type="submit" disabled=${change.busy}>Change password</button>
    </form>
  </${Section}>`;
}

function Sessions() {
  const { api } = useApp();
  const sessions = useAsync(() => api.auth.sessions(), []);
  const revoke = useAction(async (id) => {
    await api.auth.revokeSession(id);
    await sessions.reload();
  });
  return html`<${Section} title="Sessions">
    <${ErrorNotice} error=${sessions.error || revoke.error} />
    ${!sessions.data
      ? html`<${Loading} />`
      : html`<ul class="list">
          ${sessions.data.items.map(
            (s) => html`<li key=${s.id} class="list-row">
              <div>
                <strong>${s.user_agent || 'Unknown browser'}</strong>${s.current && html` <span class="badge">this one</span>`}
                <div class="muted">${s.client_ip} · since ${formatTime(s.created_at)} · active ${formatAgo(s.last_seen_at)}</div>
              </div>
              ${!s.current && html`<button type="button" class="secondary" onClick=${() => revoke.run(s.id)}>Log out</button>`}
            </li>`,
          )}
        </ul>`}
  </${Section}>`;
}

function Tokens() {
  const { api } = useApp();
  const tokens = useAsync(() => api.auth.tokens(), []);
  const [secret, setSecret] = useState(null);
  const [revoking, setRevoking] = useState(null);
  const create = useAction(async (values, form) => {
    const made = await api.auth.createToken(values.name, values.scope);
    setSecret(made.secret);
    form.reset();
    await tokens.reload();
  });
  const submit = (event) => create.run(formValues(event), event.currentTarget);
  return html`<${Section} title="API tokens">
    <p class="muted">For scripts: send <code>Authorization: Bearer ort_…</code>. Read tokens cannot change anything.</p>
    ${secret && html`<div class="notice ok" role="status">
      <p>Copy the token now; it is shown only once:</p>
      <input class="secret" readonly value=${secret} aria-label="New API token" onFocus=${(e) => e.currentTarget.select()} />
    </div>`}
    <form class="inline-form" onSubmit=${submit}>
      <${Field} label="Token name" name="name" required maxlength="100" error=${fieldError(create.error, 'name')} />
      <${Field} label="Scope" name="scope" as="select">
        <option value="read">read</option><option value="write">write</option>
      </${Field}>
      <button class="primary" type="submit" disabled=${create.busy}>Create token</button>
    </form>
    <${ErrorNotice} error=${tokens.error || create.error} />
    ${tokens.data &&
    (tokens.data.items.length === 0
      ? html`<${EmptyState} title="No API tokens yet" />`
      : html`<ul class="list">
          ${tokens.data.items.map(
            (t) => html`<li key=${t.id} class="list-row">
              <div><strong>${t.name}</strong> <span class="badge">${t.scope}</span>
                <div class="muted">${t.prefix}… · created ${formatTime(t.created_at)} · used ${formatAgo(t.last_used_at)}</div></div>
              <button type="button" class="danger" onClick=${() => setRevoking(t)}>Revoke</button>
            </li>`,
          )}
        </ul>`)}
    ${revoking && html`<${ConfirmDialog} title="Revoke this token?" confirmLabel="Revoke" danger
      onConfirm=${async () => { await api.auth.revokeToken(revoking.id); await tokens.reload(); }}
      onClose=${() => setRevoking(null)}>
      <p>Scripts using “${revoking.name}” will stop working at once.</p>
    </${ConfirmDialog}>`}
  </${Section}>`;
}

export function AccountPage() {
  const { user } = useApp();
  return html`<div class="page">
    <div class="page-head"><h1>Account</h1><p class="muted">${user.email}${user.is_admin ? ' · instance admin' : ''}</p></div>
    <${PasswordForm} />
    <${Sessions} />
    <${Tokens} />
  </div>`;
}
