/**
 * Notification channels: list with last error, send test, enable/disable, delete;
 * add email or webhook; link Telegram by sending `/start <code>` to the bot (the page
 * polls until the bot has seen it), or with a chat id and your own bot token.
 * @module components/alert-channels
 */
import { html, useEffect, useState } from '../lib/preact.js';
import { formValues, useAction, useAsync } from '../lib/hooks.js';
import { formatAgo } from '../lib/format.js';
import { useApp } from './context.js';
import { ConfirmDialog } from './dialog.js';
import { EmptyState, ErrorNotice, Field, fieldError, Loading } from './ui.js';

const describe = (c) =>
  c.kind === 'email' ? (c.config.to || []).join(', ') : c.kind === 'webhook' ? c.config.url : `chat ${c.config.chat_id}`;

function ChannelRow({ channel, canAdmin, onChanged }) {
  const { api, notify } = useApp();
  const [removing, setRemoving] = useState(false);
  const test = useAction(async () => {
    await api.alerts.testChannel(channel.id);
    notify(`Test message queued for ${channel.name}.`);
  });
  const toggle = useAction(async () => {
    await api.alerts.updateChannel(channel.id, { enabled: !channel.enabled });
    onChanged();
  });
  return html`<li class="list-row" data-channel-id=${channel.id}>
    <div class="grow">
      <strong>${channel.name}</strong> <span class="badge">${channel.kind}</span>
      ${!channel.enabled && html` <span class="badge status-offline">disabled</span>`}
      <div class="muted wrap-anywhere">${describe(channel)}</div>
      ${channel.last_error && html`<div class="field-error">Last error ${formatAgo(channel.last_error_at)}: ${channel.last_error}</div>`}
      ${channel.disabled_reason && html`<div class="field-error">${channel.disabled_reason}</div>`}
      <div class="muted">Last sent ${formatAgo(channel.last_sent_at)}</div>
      <${ErrorNotice} error=${test.error || toggle.error} />
    </div>
    <button type="button" class="secondary" disabled=${test.busy} onClick=${() => test.run()}>Send test</button>
    ${canAdmin && html`<button type="button" class="secondary" onClick=${() => toggle.run()}>${channel.enabled ? 'Disable' : 'Enable'}</button>
      <button type="button" class="danger" onClick=${() => setRemoving(true)}>Delete</button>`}
    ${removing && html`<${ConfirmDialog} title=${`Delete channel ${channel.name}?`} confirmLabel="Delete" danger
      onConfirm=${async () => { await api.alerts.removeChannel(channel.id); onChanged(); }} onClose=${() => setRemoving(false)}>
      <p>Alerts stop going there at once.</p></${ConfirmDialog}>`}
  </li>`;
}

function TelegramLink({ farmId, onLinked }) {
  const { api } = useApp();
  const [link, setLink] = useState(null);
  const start = useAction(async () => setLink(await api.alerts.startTelegramLink(farmId)));
  useEffect(() => {
    if (!link || link.status !== 'waiting') return undefined;
    const timer = setTimeout(async () => {
      try {
        const next = await api.alerts.telegramLink(farmId, link.code);
        setLink(next);
        if (next.status === 'linked') onLinked();
      } catch {
        setLink({ ...link }); // try again on the next timer
      }
    }, 3000);
    return () => clearTimeout(timer);
  }, [link]);
  return html`<div>
    <h4>Telegram (instance bot)</h4>
    ${!link || link.status === 'expired'
      ? html`<button type="button" class="primary" disabled=${start.busy} onClick=${() => start.run()}>
          ${link ? 'Code expired — get a new one' : 'Link a Telegram chat'}</button>`
      : link.status === 'waiting'
        ? html`<p>Send this to the openrig bot in the chat that should get alerts:</p>
            <input class="secret" readonly value=${link.command} aria-label="Telegram command" onFocus=${(e) => e.currentTarget.select()} />
            <p class="muted" aria-live="polite">Waiting for the bot… (expires ${formatAgo(link.expires_at)})</p>`
        : html`<p class="notice ok" role="status">Linked. The chat appears in the list.</p>`}
    <${ErrorNotice} error=${start.error} />
  </div>`;
}

function AddChannel({ farmId, onAdded }) {
  const { api } = useApp();
  const [kind, setKind] = useState('email');
  const [secret, setSecret] = useState(null);
  const add = useAction(async (v, form) => {
    const config =
      kind === 'email' ? { to: v.to.split(/[\s,]+/).filter(Boolean) }
        : kind === 'webhook' ? { url: v.url }
          : { chat_id: v.chat_id, bot_token: v.bot_token || null };
    const made = await api.alerts.createChannel(farmId, { kind, name: v.name, config });
    setSecret(made.secret || null);
    form.reset();
    onAdded();
  });
  return html`<form class="stack" onSubmit=${(e) => add.run(formValues(e), e.currentTarget)}>
    <div class="row">
      <${Field} label="Kind" id="channel-kind" as="select" value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
        <option value="email">Email</option><option value="webhook">Webhook</option><option value="telegram">Telegram (own bot / chat id)</option>
      </${Field}>
      <${Field} label="Name" id="channel-name" name="name" required maxlength="100" error=${fieldError(add.error, 'name')} />
    </div>
    ${kind === 'email' && html`<${Field} label="Addresses (comma separated)" id="channel-to" name="to" required error=${fieldError(add.error, 'config.to')} />`}
    ${kind === 'webhook' && html`<${Field} label="URL (https)" id="channel-url" name="url" type="url" required error=${fieldError(add.error, 'config.url')} />`}
    ${kind === 'telegram' && html`<div class="row">
      <${Field} label="Chat id" id="channel-chat" name="chat_id" required error=${fieldError(add.error, 'config.chat_id')} />
      <${Field} label="Bot token (empty = instance bot)" id="channel-bot" name="bot_token" error=${fieldError(add.error, 'config.bot_token')} />
    </div>`}
    <${ErrorNotice} error=${add.error} />
    <button class="primary" type="submit" disabled=${add.busy}>Add channel</button>
    ${secret && html`<div class="notice ok" role="status"><p>Webhook signing secret (shown once):</p>
      <input class="secret" readonly value=${secret} aria-label="Webhook secret" /></div>`}
  </form>`;
}

/** @param {{farm: any, canAdmin: boolean}} props */
export function AlertChannels({ farm, canAdmin }) {
  const { api } = useApp();
  const channels = useAsync(() => api.alerts.channels(farm.id), [farm.id]);
  if (channels.error) return html`<${ErrorNotice} error=${channels.error} />`;
  if (!channels.data) return html`<${Loading} />`;
  return html`<div>
    ${channels.data.length === 0
      ? html`<${EmptyState} title="No channel yet"><p>Add one so alerts reach you: email, Telegram or a webhook.</p></${EmptyState}>`
      : html`<ul class="list">${channels.data.map((c) => html`<${ChannelRow} key=${c.id} channel=${c} canAdmin=${canAdmin} onChanged=${channels.reload} />`)}</ul>`}
    ${canAdmin && html`<h3>Add a channel</h3>
      <${TelegramLink} farmId=${farm.id} onLinked=${channels.reload} />
      <h4>Email, webhook or your own Telegram bot</h4>
      <${AddChannel} farmId=${farm.id} onAdded=${channels.reload} />`}
  </div>`;
}
