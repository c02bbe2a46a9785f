/**
 * The farm's config history, every layer, with restore.
 * @module pages/history
 */
import { html } from '../lib/preact.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { HistoryList } from '../components/history-list.js';
import { Section } from '../components/ui.js';

export function HistoryPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="history" title="Config history">
    ${(farm) => html`<${Section} title="Changes, newest first">
      <${HistoryList} farmId=${farm.id} canRestore=${atLeast(farm.role, 'operator')} />
    </${Section}>`}
  </${FarmFrame}>`;
}
