// Unit tests of the console's pure modules (no DOM). Run by tests/console/test_js_units.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const STATIC = '../../../src/openrig/console/static/js';
const format = await import(`${STATIC}/lib/format.js`);
const rows = await import(`${STATIC}/lib/rows.js`);
const router = await import(`${STATIC}/lib/router.js`);
const poll = await import(`${STATIC}/lib/poll.js`);
const bulk = await import(`${STATIC}/lib/bulk.js`);
const json = await import(`${STATIC}/lib/json.js`);
const memo = await import(`${STATIC}/lib/memo.js`);

test('hashrates scale H/s → kH/s → MH/s → GH/s with three significant digits', () => {
  assert.equal(format.formatHashrate(0), '0 H/s');
  assert.equal(format.formatHashrate(950), '950 H/s');
  assert.equal(format.formatHashrate(1500), '1.50 kH/s');
  assert.equal(format.formatHashrate(6.2e7), '62.0 MH/s');
  assert.equal(format.formatHashrate(147e6), '147 MH/s');
  assert.equal(format.formatHashrate(1.25e9), '1.25 GH/s');
  assert.equal(format.formatHashrate(999.6e6), '1.00 GH/s');
  assert.equal(format.formatHashrate(3.2e21), '3200 EH/s');
  assert.equal(format.formatHashrate(null), '—');
  assert.equal(format.formatHashrate(undefined), '—');
  assert.equal(format.formatHashrate(Number.NaN), '—');
});

test('power, efficiency, temperatures, money', () => {
  assert.equal(format.formatPower(118.5), '119 W');
  assert.equal(format.formatPower(6540), '6.54 kW');
  assert.equal(format.formatEfficiency(525000), '525 kH/W');
  assert.equal(format.formatTemp(63.6), '64 °C');
  assert.equal(format.formatMoney(15.694, 'USD'), '15.69 USD');
  assert.equal(format.formatMoney(null, 'USD'), '—');
});

test('durations and relative times', () => {
  assert.equal(format.formatDuration(45), '45 s');
  assert.equal(format.formatDuration(720), '12 min');
  assert.equal(format.formatDuration(3 * 3600 + 300), '3 h 5 min');
  assert.equal(format.formatDuration(86400 * 2 + 3600 * 4), '2 d 4 h');
  const now = Date.parse('2026-12-04T10:00:00Z');
  assert.equal(format.formatAgo('2026-12-04T09:55:00Z', now), '5 min ago');
  assert.equal(format.formatAgo('2026-12-04T09:59:55Z', now), 'just now');
  assert.equal(format.formatAgo(null, now), 'never');
  assert.equal(format.formatAgo('garbage', now), '—');
});

test('mergeRows keeps the identity of unchanged rows and reports what changed', () => {
  const a = { id: 'a', name: 'rig-a', gpus: [1, 2] };
  const b = { id: 'b', name: 'rig-b', hashrate_hs: 1 };
  const c = { id: 'c', name: 'rig-c' };
  const fresh = [{ id: 'a', name: 'rig-a', gpus: [1, 2] }, { id: 'b', name: 'rig-b', hashrate_hs: 2 }, { id: 'd', name: 'rig-d' }];
  const merged = rows.mergeRows([a, b, c], fresh);
  assert.equal(merged.rows[0], a, 'unchanged row reused');
  assert.equal(merged.rows[1], fresh[1], 'changed row replaced');
  assert.deepEqual(merged.changed, ['b']);
  assert.deepEqual(merged.added, ['d']);
  assert.deepEqual(merged.removed, ['c']);
  assert.deepEqual(rows.mergeRows([], []).rows, []);
});

test('sortRows: numbers numerically, names naturally, missing values last both ways', () => {
  const list = [{ n: 'rig-10', h: 5 }, { n: 'rig-2', h: null }, { n: 'rig-1', h: 7 }];
  assert.deepEqual(rows.sortRows(list, (r) => r.n, 'asc').map((r) => r.n), ['rig-1', 'rig-2', 'rig-10']);
  assert.deepEqual(rows.sortRows(list, (r) => r.h, 'asc').map((r) => r.h), [5, 7, null]);
  assert.deepEqual(rows.sortRows(list, (r) => r.h, 'desc').map((r) => r.h), [7, 5, null]);
  assert.ok(rows.sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
  assert.ok(!rows.sameJson({ a: 1 }, { a: 1, b: undefined }));
});

test('hash routes parse, match and build', () => {
  assert.deepEqual(router.parseHash('#/reset-password?token=a%2Bb'), { path: '/reset-password', query: { token: 'a+b' } });
  assert.deepEqual(router.parseHash(''), { path: '/', query: {} });
  assert.deepEqual(router.parseHash('#/farms/x/'), { path: '/farms/x', query: {} });
  assert.deepEqual(router.matchPath('/farms/:farmId/groups/:groupId', '/farms/f1/groups/g%201'), { farmId: 'f1', groupId: 'g 1' });
  assert.equal(router.matchPath('/farms/:farmId', '/farms/f1/groups'), null);
  assert.equal(router.matchPath('/rigs/:id', '/rigs/%E0%A4%A'), null, 'malformed escapes do not throw');
  const routes = [{ path: '/' }, { path: '/rigs/:rigId', name: 'rig' }];
  assert.equal(router.matchRoute(routes, '/rigs/7').route.name, 'rig');
  assert.equal(router.matchRoute(routes, '/nope'), null);
  assert.equal(router.href('farms', 'a/b', 'config'), '#/farms/a%2Fb/config');
});

test('polling slows down when hidden and backs off after failures', () => {
  const base = { interval: 10000, hiddenInterval: 60000 };
  assert.equal(poll.nextDelay({ ...base, visible: true, failures: 0 }), 10000);
  assert.equal(poll.nextDelay({ ...base, visible: false, failures: 0 }), 60000);
  assert.equal(poll.nextDelay({ ...base, visible: true, failures: 2 }), 40000);
  assert.equal(poll.nextDelay({ ...base, visible: true, failures: 50 }), 300000);
});

test('bulk form values become API requests', () => {
  assert.deepEqual(bulk.bulkRequest('reboot', ''), { kind: 'command', type: 'reboot' });
  assert.deepEqual(bulk.bulkRequest('flight_sheet_id', 's1'), { kind: 'bulk', action: { flight_sheet_id: 's1' } });
  assert.deepEqual(bulk.bulkRequest('group_id', ''), { kind: 'bulk', action: { group_id: null } });
  assert.deepEqual(bulk.bulkRequest('add_tags', 'hot, row-3 hot'), { kind: 'bulk', action: { add_tags: ['hot', 'row-3'] } });
  assert.deepEqual(bulk.bulkRequest('config_patch', '{"maintenance": true}'), { kind: 'bulk', action: { config_patch: { maintenance: true } } });
  assert.throws(() => bulk.bulkRequest('config_patch', '[1]'), /JSON object/);
  assert.throws(() => bulk.bulkRequest('config_patch', '{'), /not valid JSON/);
  assert.throws(() => bulk.bulkRequest('remove_tags', ' , '), /at least one tag/);
  assert.throws(() => bulk.bulkRequest('nope', ''), /Choose/);
});

test('merge patch between two layers, dotted lookup, source labels', () => {
  const before = { watchdog: { max_temp_c: 80, enabled: true }, maintenance: true, miner: { pools: [1] } };
  const after = { watchdog: { max_temp_c: 75, enabled: true }, miner: { pools: [1, 2] }, report_interval_s: 20 };
  assert.deepEqual(json.mergePatchBetween(before, after), {
    maintenance: null, watchdog: { max_temp_c: 75 }, miner: { pools: [1, 2] }, report_interval_s: 20,
  });
  assert.deepEqual(json.mergePatchBetween(after, after), {});
  assert.equal(json.valueAt({ oc: { per_gpu: { 3: { w: 100 } } } }, 'oc.per_gpu.3.w'), 100);
  assert.equal(json.valueAt({ a: 1 }, 'a.b'), undefined);
  assert.equal(json.sourceLabel('flight_sheet:abc', { abc: 'RVN' }), 'flight sheet “RVN”');
  assert.equal(json.sourceLabel('builtin'), 'built-in default');
  assert.deepEqual(json.parseObject('[]'), { error: 'Must be a JSON object: { … }' });
  assert.deepEqual(json.parseObject(''), { value: {} });
});

test('shallowEqual decides memoised re-renders', () => {
  const rig = { id: 'a' };
  assert.ok(memo.shallowEqual({ rig, selected: false }, { rig, selected: false }));
  assert.ok(!memo.shallowEqual({ rig, selected: false }, { rig: { id: 'a' }, selected: false }));
  assert.ok(!memo.shallowEqual({ a: 1 }, { a: 1, b: 2 }));
});
