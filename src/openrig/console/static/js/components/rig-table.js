/**
 * The farm's rig table. Rows are memoised: after a poll, only rows whose data
 * changed re-render (lib/rows.js keeps the identity of the others). On narrow
 * screens CSS turns each row into a card labelled by `data-label`.
 * @module components/rig-table
 */
import { html, memo } from '../lib/preact.js';
import { formatAgo, formatHashrate, formatPower, formatTemp } from '../lib/format.js';
import { href } from '../lib/router.js';
import { StatusBadge } from './ui.js';

/** Sortable columns: key → value used to sort. */
export const RIG_COLUMNS = {
  status: (r) => r.status,
  name: (r) => r.name,
  group: (r) => r.group_name,
  miner: (r) => r.miner,
  hashrate: (r) => r.hashrate_hs,
  gpus: (r) => r.gpu_count,
  temp: (r) => r.max_temp_c,
  power: (r) => r.power_w,
  seen: (r) => (r.last_seen_at ? Date.parse(r.last_seen_at) : null),
};

const HEADERS = [
  ['status', 'Status'],
  ['name', 'Name'],
  ['group', 'Group'],
  [null, 'Tags'],
  ['miner', 'Miner / algo'],
  ['hashrate', 'Hashrate'],
  ['gpus', 'GPUs'],
  ['temp', 'Hottest'],
  ['power', 'Power'],
  ['seen', 'Last seen'],
];

const RigRow = memo(function RigRow({ rig, selected, onToggle, minute, alerts }) {
  void minute; // re-render once a minute so "last seen" stays true
  const gpus = rig.gpu_count === null ? '—' : `${rig.gpu_count}${rig.gpus_expected && rig.gpus_expected !== rig.gpu_count ? ` / ${rig.gpus_expected}` : ''}`;
  const hot = rig.max_temp_c !== null && rig.max_temp_c >= 80;
  return html`<tr data-rig-id=${rig.id} class=${selected ? 'selected' : ''}>
    <td class="select-cell"><input type="checkbox" checked=${selected} onChange=${() => onToggle(rig.id)}
      aria-label=${`Select ${rig.name}`} /></td>
    <td data-label="Status"><span class="badges"><${StatusBadge} status=${rig.status} />${alerts ? html`<span class="badge alert">${alerts} alert${alerts > 1 ? 's' : ''}</span>` : null}</span></td>
    <td data-label="Name" class="name-cell"><a href=${href('rigs', rig.id)}>${rig.name}</a></td>
    <td data-label="Group">${rig.group_name || '—'}</td>
    <td data-label="Tags" class="wide">${rig.tags.length ? rig.tags.map((t) => html`<span class="tag" key=${t}>${t}</span>`) : '—'}</td>
    <td data-label="Miner" class="wide">${rig.miner ? `${rig.miner}${rig.algo ? ` / ${rig.algo}` : ''}` : '—'}</td>
    <td data-label="Hashrate" class="num">${formatHashrate(rig.hashrate_hs)}</td>
    <td data-label="GPUs" class="num">${gpus}</td>
    <td data-label="Hottest" class=${`num ${hot ? 'hot' : ''}`}>${formatTemp(rig.max_temp_c)}</td>
    <td data-label="Power" class="num">${formatPower(rig.power_w)}</td>
    <td data-label="Last seen">${formatAgo(rig.last_seen_at)}</td>
  </tr>`;
});

/**
 * @param {{rigs: any[], selected: Set<string>, onToggle: (id: string) => void,
 *   onToggleAll: () => void, sort: {key: string, dir: 'asc'|'desc'},
 *   onSort: (key: string) => void, minute: number, alertCounts?: Record<string, number>}} props
 */
export function RigTable({ rigs, selected, onToggle, onToggleAll, sort, onSort, minute, alertCounts = {} }) {
  const allSelected = rigs.length > 0 && rigs.every((r) => selected.has(r.id));
  return html`<div class="table-box">
    <table class="rigs cards">
      <thead>
        <tr>
          <th class="select-cell"><input type="checkbox" checked=${allSelected} onChange=${onToggleAll}
            aria-label="Select all rigs shown" /></th>
          ${HEADERS.map(([key, label]) =>
            key
              ? html`<th aria-sort=${sort.key === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  <button type="button" class="sort" onClick=${() => onSort(key)}>${label}${sort.key === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</button>
                </th>`
              : html`<th>${label}</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${rigs.map(
          (rig) => html`<${RigRow} key=${rig.id} rig=${rig} selected=${selected.has(rig.id)}
            onToggle=${onToggle} minute=${minute} alerts=${alertCounts[rig.id] || 0} />`,
        )}
      </tbody>
    </table>
  </div>`;
}
