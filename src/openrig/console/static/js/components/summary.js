/**
 * Farm totals from `/farms/{id}/summary`: rigs and GPUs online/offline, hashrate per
 * algorithm, power, efficiency, daily power cost.
 * @module components/summary
 */
import { html } from '../lib/preact.js';
import { formatEfficiency, formatHashrate, formatMoney, formatPower } from '../lib/format.js';

function Tile({ label, value, sub, tone }) {
  return html`<div class=${`stat ${tone || ''}`}>
    <span class="stat-label">${label}</span>
    <strong class="stat-value">${value}</strong>
    ${sub && html`<span class="muted">${sub}</span>`}
  </div>`;
}

/** @param {{summary: any}} props */
export function SummaryTiles({ summary }) {
  const { rigs, gpus, hashrate } = summary;
  return html`<div class="stats" aria-label="Farm totals">
    <${Tile} label="Rigs online" value=${`${rigs.online} / ${rigs.total}`}
      sub=${rigs.offline ? `${rigs.offline} offline` : 'none offline'} tone=${rigs.offline ? 'warn' : 'good'} />
    <${Tile} label="GPUs online" value=${String(gpus.online)}
      sub=${gpus.offline ? `${gpus.offline} missing` : 'none missing'} tone=${gpus.offline ? 'warn' : ''} />
    ${hashrate.length === 0
      ? html`<${Tile} label="Hashrate" value=${formatHashrate(0)} />`
      : hashrate.map(
          (algo) => html`<${Tile} key=${algo.algo} label=${`Hashrate · ${algo.algo}`}
            value=${formatHashrate(algo.hashrate_hs)}
            sub=${`${algo.rigs} rigs · ${formatEfficiency(algo.efficiency_hs_per_w)}`} />`,
        )}
    <${Tile} label="Power" value=${formatPower(summary.power_w)}
      sub=${`${formatMoney(summary.power_cost_per_day, summary.currency)} / day`} />
  </div>`;
}
