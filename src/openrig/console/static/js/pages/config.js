/**
 * Config editors for the farm defaults and for one group, each with its history.
 * @module pages/config
 */
import { html, useState } from '../lib/preact.js';
import { useAsync } from '../lib/hooks.js';
import { useApp } from '../components/context.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { LayerEditor } from '../components/layer-editor.js';
import { HistoryList } from '../components/history-list.js';
import { ErrorNotice, Loading, Section } from '../components/ui.js';

function LayerPage({ farm, kind, id, intro }) {
  const [version, setVersion] = useState(0);
  const canEdit = atLeast(farm.role, 'operator');
  return html`
    <${Section} title="Settings">
      <p class="muted">${intro} Layers merge: built-in ← farm ← flight sheet ← OC profile ← group ← rig.</p>
      <${LayerEditor} key=${version} kind=${kind} id=${id} farmId=${farm.id} canEdit=${canEdit}
        onSaved=${() => setVersion((v) => v + 1)} />
    </${Section}>
    <${Section} title="History">
      <${HistoryList} key=${version} farmId=${farm.id} layerKind=${kind} layerId=${id} canRestore=${canEdit}
        onRestored=${() => setVersion((v) => v + 1)} />
    </${Section}>`;
}

export function FarmConfigPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="config" title="Farm config">
    ${(farm) => html`<${LayerPage} farm=${farm} kind="farm" id=${farm.id}
      intro="Defaults for every rig of the farm." />`}
  </${FarmFrame}>`;
}

function GroupConfig({ farm, groupId }) {
  const { api } = useApp();
  const group = useAsync(() => api.groups.get(groupId), [groupId]);
  if (group.error) return html`<${ErrorNotice} error=${group.error} />`;
  if (!group.data) return html`<${Loading} />`;
  return html`<h2>Group “${group.data.name}” · ${group.data.rig_count} rigs</h2>
    <${LayerPage} farm=${farm} kind="group" id=${groupId} intro="Overrides for the rigs of this group." />`;
}

export function GroupConfigPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="groups" title="Group config">
    ${(farm) => html`<${GroupConfig} farm=${farm} groupId=${params.groupId} />`}
  </${FarmFrame}>`;
}
