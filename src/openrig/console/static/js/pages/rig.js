/**
 * One rig: status, commands, GPUs, charts, config with sources and overrides,
 * activity, rig.conf download and enrollment instructions. Polls every 10 s
 * (every 2 s while a command is on its way, every 60 s while the tab is hidden).
 * @module pages/rig
 */
import { html, useMemo, useState } from '../lib/preact.js';
import { formValues, useAction, useAsync, usePolling } from '../lib/hooks.js';
import { formatAgo, formatDuration, formatHashrate, formatPower } from '../lib/format.js';
import { parseTags } from '../lib/bulk.js';
import { href } from '../lib/router.js';
import { useApp } from '../components/context.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { ConfirmDialog } from '../components/dialog.js';
import { GpuTable } from '../components/gpu-table.js';
import { RigCharts } from '../components/rig-charts.js';
import { RigCommands, anyPending } from '../components/rig-commands.js';
import { ConfigSources } from '../components/config-sources.js';
import { LayerEditor } from '../components/layer-editor.js';
import { ActivityLog } from '../components/activity.js';
import { AlertList } from '../components/alert-list.js';
import { EnrollHelp } from '../components/enroll-help.js';
import { ErrorNotice, Field, fieldError, Loading, Section, StatusBadge } from '../components/ui.js';

function Facts({ rig }) {
  const report = rig.report || {};
  const upToDate = rig.config_version_applied === rig.config_version;
  const facts = [
    ['Status', html`<${StatusBadge} status=${rig.status} />`],
    ['Last seen', formatAgo(rig.last_seen_at)],
    ['Miner', rig.miner ? `${rig.miner}${rig.algo ? ` / ${rig.algo}` : ''}` : '—'],
    ['Hashrate', formatHashrate(rig.hashrate_hs)],
    ['Power', formatPower(rig.power_w)],
    ['GPUs', rig.gpu_count === null ? '—' : `${rig.gpu_count}${rig.gpus_expected ? ` of ${rig.gpus_expected}` : ''}`],
    ['Uptime', formatDuration(report.uptime_s)],
    ['Group', rig.group_name || '—'],
    ['Tags', rig.tags.length ? rig.tags.join(', ') : '—'],
    ['Agent', rig.agent_version || '—'],
    ['Config', html`<code data-config-version>${rig.config_version}</code> ${rig.config_version_applied
      ? html`<span class=${`badge ${upToDate ? 'status-online' : 'status-zero_hashrate'}`}>${upToDate ? 'applied' : 'pending on rig'}</span>` : ''}`],
  ];
  return html`<dl class="facts">${facts.map(([k, v]) => html`<div key=${k}><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
    ${rig.notes && html`<p class="notes">${rig.notes}</p>`}`;
}

function RigAlerts({ farmId, rigId, refresh }) {
  const { api } = useApp();
  const alerts = useAsync(() => api.alerts.list(farmId, { state: 'active', rig_id: rigId, limit: 50 }), [rigId, refresh]);
  if (alerts.error) return html`<${ErrorNotice} error=${alerts.error} />`;
  return alerts.data ? html`<${AlertList} alerts=${alerts.data.items} />` : html`<${Loading} />`;
}

function EditRig({ rig, groups, onSaved, onDeleted }) {
  const { api } = useApp();
  const [deleting, setDeleting] = useState(false);
  const save = useAction(async (values) => {
    await api.rigs.update(rig.id, {
      name: values.name, group_id: values.group_id || null, tags: parseTags(values.tags), notes: values.notes,
    });
    onSaved();
  });
  return html`<details class="card">
    <summary>Edit rig</summary>
    <form class="stack" onSubmit=${(e) => save.run(formValues(e))}>
      <${Field} label="Name" id="rig-name" name="name" value=${rig.name} required maxlength="100" error=${fieldError(save.error, 'name')} />
      <${Field} label="Group" id="rig-group-edit" name="group_id" as="select" value=${rig.group_id || ''}>
        <option value="">No group</option>
        ${groups.map((g) => html`<option key=${g.id} value=${g.id}>${g.name}</option>`)}
      </${Field}>
      <${Field} label="Tags (space or comma separated)" id="rig-tags" name="tags" value=${rig.tags.join(', ')} error=${fieldError(save.error, 'tags')} />
      <${Field} label="Notes" id="rig-notes" name="notes" as="textarea" rows="2" value=${rig.notes} />
      <${ErrorNotice} error=${save.error} />
      <div class="actions">
        <button class="primary" type="submit" disabled=${save.busy}>Save</button>
        <button class="danger" type="button" onClick=${() => setDeleting(true)}>Delete rig…</button>
      </div>
    </form>
    ${deleting && html`<${ConfirmDialog} title=${`Delete ${rig.name}?`} confirmLabel="Delete" danger
      onConfirm=${async () => { await api.rigs.remove(rig.id); onDeleted(); }} onClose=${() => setDeleting(false)}>
      <p>Its history and metrics go too, and its rig.conf stops working.</p>
    </${ConfirmDialog}>`}
  </details>`;
}

function RigConf({ rig, farmId, canOperate, canAdmin }) {
  const { api, notify } = useApp();
  return html`<div>
    ${canOperate && html`<p><a class="button primary" href=${api.rigs.rigConfUrl(rig.id)} download="rig.conf"
      onClick=${() => notify('rig.conf downloaded; the previous one of this rig no longer works.')}>Download rig.conf</a></p>
      <p class="muted">Each download issues a new token for this rig and revokes the previous file.</p>`}
    <${EnrollHelp} farmId=${farmId} canAdmin=${canAdmin} />
  </div>`;
}

function Rig({ farm, rig, commands, reload, tick }) {
  const { api, navigate } = useApp();
  const groups = useAsync(() => api.groups.list(farm.id), [farm.id]);
  const library = useAsync(() => Promise.all([api.config.sheets.list(farm.id), api.config.profiles.list(farm.id)]), [farm.id]);
  const config = useAsync(() => api.config.layer('rig', rig.id), [rig.id, rig.config_version]);
  const names = useMemo(() => {
    const all = [...(groups.data ? groups.data.items : []), ...(library.data ? [...library.data[0].items, ...library.data[1].items] : [])];
    return Object.fromEntries(all.map((x) => [x.id, x.name]));
  }, [groups.data, library.data]);
  const canOperate = atLeast(farm.role, 'operator');
  return html`
    <${Section} title="Overview"><${Facts} rig=${rig} /></${Section}>
    <${Section} title="Active alerts"><${RigAlerts} farmId=${farm.id} rigId=${rig.id} refresh=${rig.last_seen_at} /></${Section}>
    <${Section} title="Commands" id="commands">
      <${RigCommands} rig=${rig} commands=${commands} canOperate=${canOperate} onQueued=${reload} />
    </${Section}>
    <${Section} title="GPUs"><${GpuTable} report=${rig.report} inventory=${rig.inventory} /></${Section}>
    <${Section} title="Charts"><${RigCharts} rigId=${rig.id} refresh=${tick} /></${Section}>
    <${Section} title="Config" id="config">
      <${ErrorNotice} error=${config.error} />
      ${config.data ? html`<${ConfigSources} effective=${config.data.effective} sources=${config.data.sources} names=${names} />` : html`<${Loading} />`}
      <h3>This rig's overrides</h3>
      <${LayerEditor} kind="rig" id=${rig.id} farmId=${farm.id} canEdit=${canOperate} onSaved=${reload} />
    </${Section}>
    <${Section} title="Activity"><${ActivityLog} load=${(q) => api.telemetry.rigActivity(rig.id, q)} /></${Section}>
    <${Section} title="rig.conf and enrollment">
      <${RigConf} rig=${rig} farmId=${farm.id} canOperate=${canOperate} canAdmin=${atLeast(farm.role, 'admin')} />
    </${Section}>
    ${canOperate && html`<${EditRig} rig=${rig} groups=${groups.data ? groups.data.items : []}
      onSaved=${reload} onDeleted=${() => navigate(href('farms', farm.id))} />`}
  `;
}

export function RigPage({ params }) {
  const { api } = useApp();
  const [state, setState] = useState({ rig: null, commands: [], error: null, tick: 0 });
  const load = async () => {
    try {
      const [rig, commands] = await Promise.all([api.rigs.get(params.rigId), api.commands.list(params.rigId)]);
      setState({ rig, commands: commands.items, error: null, tick: Math.floor(Date.now() / 60000) });
    } catch (error) {
      setState((s) => ({ ...s, error }));
      throw error;
    }
  };
  const fast = anyPending(state.commands);
  usePolling(load, [params.rigId, fast], { interval: fast ? 2000 : 10000, hiddenInterval: 60000 });
  if (!state.rig) {
    return html`<div class="page">${state.error ? html`<${ErrorNotice} error=${state.error} />` : html`<${Loading} />`}</div>`;
  }
  return html`<${FarmFrame} farmId=${state.rig.farm_id} active="dashboard" title=${state.rig.name}>
    ${(farm) => html`<${ErrorNotice} error=${state.error} />
      <${Rig} farm=${farm} rig=${state.rig} commands=${state.commands} tick=${state.tick} reload=${() => load().catch(() => {})} />`}
  </${FarmFrame}>`;
}
