/**
 * Hashrate, hottest-GPU temperature and power of a rig over 1 h, 24 h, 7 d or 30 d.
 * @module components/rig-charts
 */
import { html, useState } from '../lib/preact.js';
import { useAsync } from '../lib/hooks.js';
import { formatHashrate, formatPower, formatTemp } from '../lib/format.js';
import { useApp } from './context.js';
import { LineChart } from './chart.js';
import { ErrorNotice, Loading } from './ui.js';

export const RANGES = [
  ['1h', '1 h', 3600],
  ['24h', '24 h', 86400],
  ['7d', '7 d', 7 * 86400],
  ['30d', '30 d', 30 * 86400],
];

export function RigCharts({ rigId, refresh }) {
  const { api } = useApp();
  const [range, setRange] = useState('1h');
  const seconds = RANGES.find((r) => r[0] === range)[2];
  const series = useAsync(() => {
    const to = new Date();
    const from = new Date(to.getTime() - seconds * 1000);
    return api.telemetry
      .rigMetrics(rigId, { from: from.toISOString(), to: to.toISOString() })
      .then((answer) => ({ ...answer, range: [Math.floor(from / 1000), Math.floor(to / 1000)] }));
  }, [rigId, seconds, refresh]);
  const data = series.data;
  return html`<div>
    <div class="segmented" role="group" aria-label="Time range">
      ${RANGES.map(([key, label]) => html`<button key=${key} type="button" aria-pressed=${key === range ? 'true' : 'false'}
        onClick=${() => setRange(key)}>${label}</button>`)}
    </div>
    <${ErrorNotice} error=${series.error} />
    ${!data
      ? html`<${Loading} />`
      : data.t.length === 0
        ? html`<p class="muted">No samples in this range yet.</p>`
        : html`<div class="charts">
            <${LineChart} title="Hashrate" t=${data.t} values=${data.hashrate_hs} color="--chart-1" format=${formatHashrate} range=${data.range} />
            <${LineChart} title="Hottest GPU" t=${data.t} values=${data.max_temp_c} color="--chart-2" format=${formatTemp} range=${data.range} />
            <${LineChart} title="Power" t=${data.t} values=${data.power_w} color="--chart-3" format=${formatPower} range=${data.range} />
          </div>`}
  </div>`;
}
