/**
 * Alerts of a farm: active (live), history, rules, channels, silences.
 * @module pages/alerts
 */
import { html, useState } from '../lib/preact.js';
import { useAsync, usePolling } from '../lib/hooks.js';
import { useApp } from '../components/context.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { AlertList } from '../components/alert-list.js';
import { AlertRules } from '../components/alert-rules.js';
import { AlertChannels } from '../components/alert-channels.js';
import { AlertSilences } from '../components/alert-silences.js';
import { ErrorNotice, Loading, Section } from '../components/ui.js';

const TABS = [['active', 'Active'], ['history', 'History'], ['rules', 'Rules'], ['channels', 'Channels'], ['silences', 'Silences']];

function ActiveAlerts({ farm, canOperate }) {
  const { api, notify } = useApp();
  const [state, setState] = useState({ alerts: null, error: null });
  const load = async () => {
    try {
      const page = await api.alerts.list(farm.id, { state: 'active', limit: 200 });
      setState({ alerts: page.items, error: null });
    } catch (error) {
      setState((s) => ({ ...s, error }));
      throw error;
    }
  };
  usePolling(load, [farm.id], { interval: 15000, hiddenInterval: 60000 });
  const silence = async (alert) => {
    try {
      await api.alerts.createSilence(farm.id, {
        rig_id: alert.rig_id, rule: alert.rule, ends_at: new Date(Date.now() + 2 * 3600000).toISOString(),
        comment: `silenced from the console: ${alert.title}`,
      });
      notify(`Silenced ${alert.rule} on ${alert.rig_name} for 2 h.`);
      await load();
    } catch (error) {
      setState((s) => ({ ...s, error }));
    }
  };
  return html`<${ErrorNotice} error=${state.error} />
    ${state.alerts ? html`<${AlertList} alerts=${state.alerts} onSilence=${canOperate ? silence : undefined} />` : html`<${Loading} />`}`;
}

function PastAlerts({ farm }) {
  const { api } = useApp();
  const [offset, setOffset] = useState(0);
  const page = useAsync(() => api.alerts.list(farm.id, { state: 'resolved', limit: 50, offset }), [farm.id, offset]);
  if (page.error) return html`<${ErrorNotice} error=${page.error} />`;
  if (!page.data) return html`<${Loading} />`;
  return html`<${AlertList} alerts=${page.data.items} past />
    <div class="actions">
      ${offset > 0 && html`<button type="button" class="secondary" onClick=${() => setOffset(offset - 50)}>Newer</button>`}
      ${offset + 50 < page.data.total && html`<button type="button" class="secondary" onClick=${() => setOffset(offset + 50)}>Older</button>`}
    </div>`;
}

function Alerts({ farm }) {
  const { api } = useApp();
  const [tab, setTab] = useState('active');
  const rules = useAsync(() => api.alerts.rules('farm', farm.id), [farm.id]);
  const groups = useAsync(() => api.groups.list(farm.id), [farm.id]);
  const canOperate = atLeast(farm.role, 'operator');
  const body = {
    active: () => html`<${ActiveAlerts} farm=${farm} canOperate=${canOperate} />`,
    history: () => html`<${PastAlerts} farm=${farm} />`,
    rules: () => (rules.data ? html`<${AlertRules} farm=${farm} view=${rules.data} canOperate=${canOperate} onSaved=${rules.reload} />` : html`<${ErrorNotice} error=${rules.error} />`),
    channels: () => html`<${AlertChannels} farm=${farm} canAdmin=${atLeast(farm.role, 'admin')} />`,
    silences: () => html`<${AlertSilences} farm=${farm} canOperate=${canOperate} groups=${groups.data ? groups.data.items : []}
      rules=${rules.data ? Object.keys(rules.data.effective) : []} />`,
  }[tab];
  return html`<div class="segmented" role="tablist" aria-label="Alerts">
      ${TABS.map(([key, label]) => html`<button key=${key} type="button" role="tab" aria-selected=${key === tab ? 'true' : 'false'}
        aria-pressed=${key === tab ? 'true' : 'false'} onClick=${() => setTab(key)}>${label}</button>`)}
    </div>
    <${Section} title=${TABS.find((t) => t[0] === tab)[1]}>${body()}</${Section}>`;
}

export function AlertsPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="alerts" title="Alerts">
    ${(farm) => html`<${Alerts} farm=${farm} />`}
  </${FarmFrame}>`;
}
