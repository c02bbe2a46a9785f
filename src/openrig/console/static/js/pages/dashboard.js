/**
 * Farm dashboard: totals, the live rig table (search, filters, sort), selection and
 * bulk actions, adding a rig. Polls every 10 s, every 60 s while the tab is hidden.
 * @module pages/dashboard
 */
import { html, useCallback, useEffect, useMemo, useRef, useState } from '../lib/preact.js';
import { formValues, useAction, useAsync, usePolling } from '../lib/hooks.js';
import { mergeRows, sortRows } from '../lib/rows.js';
import { STATUS_LABEL } from '../lib/format.js';
import { href } from '../lib/router.js';
import { useApp } from '../components/context.js';
import { FarmFrame, atLeast } from '../components/layout.js';
import { SummaryTiles } from '../components/summary.js';
import { RigTable, RIG_COLUMNS } from '../components/rig-table.js';
import { BulkBar } from '../components/bulk-bar.js';
import { EnrollHelp } from '../components/enroll-help.js';
import { EmptyState, ErrorNotice, Field, fieldError, Loading } from '../components/ui.js';

const SERVER_SORT = { name: 'name', status: 'status', seen: 'last_seen' };
export const POLL = { interval: 10000, hiddenInterval: 60000 };

/** Firing alerts per rig id. */
function countByRig(alerts) {
  const counts = {};
  for (const alert of alerts) counts[alert.rig_id] = (counts[alert.rig_id] || 0) + 1;
  return counts;
}

/** The search box's value, applied after the user stops typing for 300 ms. */
function useDebounced(value, ms = 300) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function Filters({ filters, setFilters, groups, tags }) {
  const set = (key) => (event) => setFilters({ ...filters, [key]: event.currentTarget.value });
  return html`<div class="filters" role="search">
    <${Field} label="Search" id="rig-search" type="search" value=${filters.q} onInput=${set('q')}
      placeholder="name, miner, tag…" />
    <${Field} label="Status" id="rig-status" as="select" value=${filters.status} onChange=${set('status')}>
      <option value="">Any</option>
      ${Object.entries(STATUS_LABEL).map(([key, label]) => html`<option key=${key} value=${key}>${label}</option>`)}
    </${Field}>
    <${Field} label="Group" id="rig-group" as="select" value=${filters.group} onChange=${set('group')}>
      <option value="">Any</option><option value="none">No group</option>
      ${groups.map((g) => html`<option key=${g.id} value=${g.id}>${g.name}</option>`)}
    </${Field}>
    <${Field} label="Tag" id="rig-tag" as="select" value=${filters.tag} onChange=${set('tag')}>
      <option value="">Any</option>
      ${tags.map((t) => html`<option key=${t.tag} value=${t.tag}>${t.tag}</option>`)}
    </${Field}>
  </div>`;
}

function AddRig({ farmId, groups }) {
  const { api, navigate } = useApp();
  const add = useAction(async (values) => {
    const rig = await api.rigs.create(farmId, { name: values.name, group_id: values.group_id || null });
    navigate(href('rigs', rig.id));
  });
  return html`<details class="card">
    <summary>Add a rig by name (for a rig.conf download)</summary>
    <form class="inline-form" onSubmit=${(e) => add.run(formValues(e))}>
      <${Field} label="Rig name" id="new-rig-name" name="name" required maxlength="100" error=${fieldError(add.error, 'name')} />
      <${Field} label="Group" id="new-rig-group" name="group_id" as="select">
        <option value="">No group</option>
        ${groups.map((g) => html`<option key=${g.id} value=${g.id}>${g.name}</option>`)}
      </${Field}>
      <button class="primary" type="submit" disabled=${add.busy}>Add rig</button>
    </form>
    <${ErrorNotice} error=${add.error} />
  </details>`;
}

function Dashboard({ farm, initial }) {
  const { api } = useApp();
  const [filters, setFilters] = useState({ q: initial.q || '', status: initial.status || '', group: initial.group || '', tag: initial.tag || '' });
  const [sort, setSort] = useState({ key: 'name', dir: 'asc' });
  const [live, setLive] = useState({ rows: [], total: 0, summary: null, alertCounts: {}, error: null, loaded: false });
  const [selected, setSelected] = useState(() => new Set());
  const [minute, setMinute] = useState(() => Math.floor(Date.now() / 60000));
  const rowsRef = useRef([]);
  const q = useDebounced(filters.q);
  const library = useAsync(async () => {
    const [groups, sheets, profiles, tags] = await Promise.all([
      api.groups.list(farm.id), api.config.sheets.list(farm.id), api.config.profiles.list(farm.id), api.rigs.tags(farm.id),
    ]);
    return { groups: groups.items, sheets: sheets.items, profiles: profiles.items, tags: tags.items };
  }, [farm.id]);

  const query = { q, status: filters.status, group_id: filters.group, tag: filters.tag, sort: SERVER_SORT[sort.key] };
  const tick = async () => {
    try {
      const [summary, page, alerts] = await Promise.all([
        api.telemetry.summary(farm.id),
        api.rigs.list(farm.id, query),
        api.alerts.list(farm.id, { state: 'firing', limit: 500 }).catch(() => ({ items: [] })),
      ]);
      const merged = mergeRows(rowsRef.current, page.items);
      rowsRef.current = merged.rows;
      setLive({ rows: merged.rows, total: page.total, summary, alertCounts: countByRig(alerts.items), error: null, loaded: true });
      setMinute(Math.floor(Date.now() / 60000));
    } catch (error) {
      setLive((state) => ({ ...state, error }));
      throw error;
    }
  };
  usePolling(tick, [farm.id, q, filters.status, filters.group, filters.tag, sort.key], POLL);

  const shown = useMemo(() => sortRows(live.rows, RIG_COLUMNS[sort.key], sort.dir), [live.rows, sort]);
  const onToggle = useCallback((id) => setSelected((set) => {
    const next = new Set(set);
    next.has(id) ? next.delete(id) : next.add(id);
    return next;
  }), []);
  const onToggleAll = () => setSelected((set) => (shown.every((r) => set.has(r.id)) ? new Set() : new Set(shown.map((r) => r.id))));
  const onSort = (key) => setSort((s) => ({ key, dir: s.key === key && s.dir === 'asc' ? 'desc' : 'asc' }));
  const chosen = shown.filter((r) => selected.has(r.id));
  const canOperate = atLeast(farm.role, 'operator');
  const lib = library.data || { groups: [], sheets: [], profiles: [], tags: [] };
  const filtering = q || filters.status || filters.group || filters.tag;

  if (!live.loaded) return html`<${ErrorNotice} error=${live.error} />${!live.error && html`<${Loading} />`}`;
  return html`
    ${live.summary && html`<${SummaryTiles} summary=${live.summary} />`}
    <${ErrorNotice} error=${live.error} />
    ${live.summary && live.summary.rigs.total === 0
      ? html`<${EmptyState} title="No rigs in this farm yet"><${EnrollHelp} farmId=${farm.id} canAdmin=${atLeast(farm.role, 'admin')} /></${EmptyState}>`
      : html`<${Filters} filters=${filters} setFilters=${setFilters} groups=${lib.groups} tags=${lib.tags} />
        ${canOperate && chosen.length > 0 && html`<${BulkBar} farmId=${farm.id} rigs=${chosen} library=${lib}
          onDone=${() => { setSelected(new Set()); tick().catch(() => {}); }} onClear=${() => setSelected(new Set())} />`}
        ${shown.length === 0
          ? html`<p class="muted">${filtering ? 'No rig matches these filters.' : 'No rigs.'}</p>`
          : html`<${RigTable} rigs=${shown} selected=${selected} onToggle=${onToggle} onToggleAll=${onToggleAll}
              sort=${sort} onSort=${onSort} minute=${minute} alertCounts=${live.alertCounts} />`}
        <p class="muted" aria-live="polite">${live.total > shown.length ? `Showing ${shown.length} of ${live.total} rigs; narrow the list with search or filters.` : `${live.total} ${live.total === 1 ? 'rig' : 'rigs'}`} · updates every 10 s</p>`}
    ${canOperate && html`<${AddRig} farmId=${farm.id} groups=${lib.groups} />`}
  `;
}

/** `?q=&status=&group=&tag=` in the hash preset the filters (tags link here). */
export function DashboardPage({ params, query }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="dashboard">
    ${(farm) => html`<${Dashboard} farm=${farm} initial=${query} />`}
  </${FarmFrame}>`;
}
