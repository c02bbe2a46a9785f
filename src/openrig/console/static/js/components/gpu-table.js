/**
 * Per-GPU table of a rig: the last report's numbers joined with the boot inventory
 * (model, bus) by GPU index.
 * @module components/gpu-table
 */
import { html } from '../lib/preact.js';
import {
  formatClock, formatEfficiency, formatHashrate, formatPercent, formatPower, formatTemp,
} from '../lib/format.js';

/**
 * Join reported GPUs and inventory GPUs by index (a GPU in only one of them still shows).
 * @param {any} report @param {any} inventory
 * @returns {any[]}
 */
export function joinGpus(report, inventory) {
  const byIndex = new Map();
  for (const gpu of (inventory && inventory.gpus) || []) byIndex.set(gpu.index, { index: gpu.index, inv: gpu });
  for (const gpu of (report && report.gpus) || []) {
    byIndex.set(gpu.index, { ...(byIndex.get(gpu.index) || { index: gpu.index }), stats: gpu });
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

export function GpuTable({ report, inventory }) {
  const gpus = joinGpus(report, inventory);
  if (gpus.length === 0) return html`<p class="muted">No GPU reported yet.</p>`;
  return html`<div class="table-box">
    <table class="cards gpus">
      <thead><tr>
        <th>#</th><th>Model</th><th>Hashrate</th><th>Temp</th><th>Mem temp</th><th>Fan</th>
        <th>Power</th><th>Core</th><th>Mem</th><th>Efficiency</th>
      </tr></thead>
      <tbody>
        ${gpus.map(({ index, inv, stats }) => {
          const s = stats || {};
          const efficiency = s.hashrate_hs && s.power_w ? s.hashrate_hs / s.power_w : null;
          return html`<tr key=${index} class=${stats ? '' : 'missing'}>
            <td data-label="GPU">${index}</td>
            <td data-label="Model" class="wide">${inv ? inv.model : '—'}${!stats && html` <span class="badge status-offline">not reporting</span>`}</td>
            <td data-label="Hashrate" class="num">${formatHashrate(s.hashrate_hs)}</td>
            <td data-label="Temp" class=${`num ${s.temp_c >= 80 ? 'hot' : ''}`}>${formatTemp(s.temp_c)}</td>
            <td data-label="Mem temp" class=${`num ${s.mem_temp_c >= 100 ? 'hot' : ''}`}>${formatTemp(s.mem_temp_c)}</td>
            <td data-label="Fan" class="num">${formatPercent(s.fan_pct)}</td>
            <td data-label="Power" class="num">${formatPower(s.power_w)}</td>
            <td data-label="Core" class="num">${formatClock(s.core_clock_mhz)}</td>
            <td data-label="Mem" class="num">${formatClock(s.mem_clock_mhz)}</td>
            <td data-label="Efficiency" class="num">${formatEfficiency(efficiency)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
