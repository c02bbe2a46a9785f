/**
 * Flight sheets (miner, algo, pools) and OC profiles: list, create, edit, delete.
 * New flight sheets have a short form; editing works on the JSON document.
 * @module pages/library
 */
import { html, useState } from '../lib/preact.js';
import { formValues, useAction, useAsync } from '../lib/hooks.js';
import { mergePatchBetween, parseObject, pretty } from '../lib/json.js';
import { useApp } from '../components/context.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { ConfirmDialog } from '../components/dialog.js';
import { EmptyState, ErrorNotice, Field, fieldError, Loading, Section } from '../components/ui.js';

const KINDS = {
  sheets: {
    title: 'Flight sheets', one: 'flight sheet', field: 'miner', active: 'flight-sheets',
    intro: 'A flight sheet says what to mine: miner, algorithm, pools and wallet. Point the farm, a group or a rig at it.',
    summary: (item) => `${item.miner.name || '?'}${item.miner.algo ? ` / ${item.miner.algo}` : ''} · ${(item.miner.pools || []).map((p) => p.url).join(', ') || 'no pool'}`,
  },
  profiles: {
    title: 'OC profiles', one: 'OC profile', field: 'oc', active: 'oc-profiles',
    intro: 'An OC profile holds overclock settings (power limit, clock offsets, fans) for NVIDIA and AMD cards.',
    summary: (item) => Object.keys(item.oc).join(', ') || 'empty',
  },
};

function SheetForm({ onCreate, busy, error }) {
  const { api } = useApp();
  const miners = useAsync(() => api.config.miners(), []);
  const submit = (event) => {
    const v = formValues(event);
    const pool = { url: v.url };
    if (v.user) pool.user = v.user;
    if (v.pass) pool.pass = v.pass;
    const miner = { name: v.miner, pools: [pool] };
    if (v.algo) miner.algo = v.algo;
    onCreate({ name: v.name, miner }, event.currentTarget);
  };
  return html`<form class="stack" onSubmit=${submit}>
    <div class="row">
      <${Field} label="Name" id="sheet-name" name="name" required maxlength="100" error=${fieldError(error, 'name')} />
      <${Field} label="Miner" id="sheet-miner" name="miner" as="select" required>
        ${(miners.data ? miners.data.miners : []).map((m) => html`<option key=${m.name} value=${m.name}>${m.display_name}</option>`)}
      </${Field}>
      <${Field} label="Algorithm" id="sheet-algo" name="algo" maxlength="64" placeholder="kawpow" error=${fieldError(error, 'miner.algo')} />
    </div>
    <${Field} label="Pool URL" id="sheet-url" name="url" required placeholder="stratum+tcp://pool.example:3333" error=${fieldError(error, 'miner.pools.0.url')} />
    <div class="row">
      <${Field} label="Wallet / user ({rig} = rig name)" id="sheet-user" name="user" placeholder="WALLET.{rig}" error=${fieldError(error, 'miner.pools.0.user')} />
      <${Field} label="Pool password" id="sheet-pass" name="pass" placeholder="x" />
    </div>
    <${ErrorNotice} error=${error} />
    <button class="primary" type="submit" disabled=${busy}>Create flight sheet</button>
  </form>`;
}

function JsonForm({ kind, onCreate, busy, error }) {
  const spec = KINDS[kind];
  const [text, setText] = useState(pretty({ nvidia: { power_limit_w: 120, core_offset_mhz: 0, mem_offset_mhz: 800, fan: { mode: 'auto' } } }));
  const parsed = parseObject(text);
  const submit = (event) => {
    const v = formValues(event);
    if (!parsed.error) onCreate({ name: v.name, [spec.field]: parsed.value }, event.currentTarget);
  };
  return html`<form class="stack" onSubmit=${submit}>
    <${Field} label="Name" id=${`${kind}-new-name`} name="name" required maxlength="100" error=${fieldError(error, 'name')} />
    <${Field} label="Settings (JSON)" id=${`${kind}-new-json`} as="textarea" class="code" rows="8" spellcheck="false"
      value=${text} error=${parsed.error} onInput=${(e) => setText(e.currentTarget.value)} />
    <${ErrorNotice} error=${error} />
    <button class="primary" type="submit" disabled=${busy || Boolean(parsed.error)}>Create ${spec.one}</button>
  </form>`;
}

function EditItem({ kind, farmId, item, onDone }) {
  const { api, notify } = useApp();
  const spec = KINDS[kind];
  const [text, setText] = useState(pretty(item[spec.field]));
  const parsed = parseObject(text);
  const save = useAction(async (values) => {
    if (parsed.error) throw new Error(parsed.error);
    const body = { [spec.field]: mergePatchBetween(item[spec.field], parsed.value) };
    if (values.name !== item.name) body.name = values.name;
    const answer = await api.config[kind].update(farmId, item.id, body);
    notify(`Saved; ${answer.rigs_affected || 0} rigs affected.`);
    onDone();
  });
  return html`<form class="stack" onSubmit=${(e) => save.run(formValues(e))}>
    <${Field} label="Name" id=${`edit-name-${item.id}`} name="name" value=${item.name} required maxlength="100" error=${fieldError(save.error, 'name')} />
    <${Field} label=${spec.field === 'miner' ? 'Miner (JSON)' : 'Overclock (JSON)'} id=${`edit-json-${item.id}`} as="textarea"
      class="code" rows="8" spellcheck="false" value=${text} error=${parsed.error} onInput=${(e) => setText(e.currentTarget.value)} />
    <${ErrorNotice} error=${save.error} />
    <div class="actions">
      <button class="primary" type="submit" disabled=${save.busy || Boolean(parsed.error)}>Save</button>
      <button class="secondary" type="button" onClick=${onDone}>Cancel</button>
    </div>
  </form>`;
}

function Library({ farm, kind }) {
  const { api } = useApp();
  const spec = KINDS[kind];
  const items = useAsync(() => api.config[kind].list(farm.id), [farm.id, kind]);
  const [editing, setEditing] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const canEdit = atLeast(farm.role, 'operator');
  const create = useAction(async (body, form) => {
    await api.config[kind].create(farm.id, body);
    form.reset();
    await items.reload();
  });
  if (items.error) return html`<${ErrorNotice} error=${items.error} />`;
  if (!items.data) return html`<${Loading} />`;
  return html`<${Section} title=${spec.title}>
    <p class="muted">${spec.intro}</p>
    ${items.data.items.length === 0 && html`<${EmptyState} title=${`No ${spec.one} yet`} />`}
    <ul class="list">
      ${items.data.items.map((item) => html`<li key=${item.id} class="list-row">
        ${editing === item.id
          ? html`<div class="grow"><${EditItem} kind=${kind} farmId=${farm.id} item=${item}
              onDone=${() => { setEditing(null); items.reload(); }} /></div>`
          : html`<div class="grow"><strong>${item.name}</strong><div class="muted wrap-anywhere">${spec.summary(item)}</div></div>
            ${canEdit && html`<button type="button" class="secondary" onClick=${() => setEditing(item.id)}>Edit</button>
              <button type="button" class="danger" onClick=${() => setDeleting(item)}>Delete</button>`}`}
      </li>`)}
    </ul>
    ${canEdit && html`<h3>New ${spec.one}</h3>
      ${kind === 'sheets'
        ? html`<${SheetForm} onCreate=${create.run} busy=${create.busy} error=${create.error} />`
        : html`<${JsonForm} kind=${kind} onCreate=${create.run} busy=${create.busy} error=${create.error} />`}`}
    ${deleting && html`<${ConfirmDialog} title=${`Delete ${spec.one} ${deleting.name}?`} confirmLabel="Delete" danger
      onConfirm=${async () => { await api.config[kind].remove(farm.id, deleting.id); await items.reload(); }}
      onClose=${() => setDeleting(null)}>
      <p>The farm, groups and rigs using it fall back to the next layer's ${spec.one}.</p>
    </${ConfirmDialog}>`}
  </${Section}>`;
}

export function FlightSheetsPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="flight-sheets" title="Flight sheets">
    ${(farm) => html`<${Library} farm=${farm} kind="sheets" />`}
  </${FarmFrame}>`;
}

export function OcProfilesPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="oc-profiles" title="OC profiles">
    ${(farm) => html`<${Library} farm=${farm} kind="profiles" />`}
  </${FarmFrame}>`;
}
