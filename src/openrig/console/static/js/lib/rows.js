/**
 * Pure helpers for live tables: merge a fresh list into the previous one keeping
 * the identity of unchanged rows (so memoised row components skip them), sort and
 * filter. Tested with node --test.
 * @module lib/rows
 */

/**
 * Deep equality of JSON-like values (API answers).
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}

/**
 * @template {{id: string}} T
 * @param {T[]} previous rows shown now
 * @param {T[]} fresh rows just fetched
 * @returns {{rows: T[], changed: string[], added: string[], removed: string[]}}
 *   `rows` is `fresh` in order, reusing the previous object for every row whose data
 *   did not change; `changed`/`added`/`removed` list ids.
 */
export function mergeRows(previous, fresh) {
  const before = new Map(previous.map((row) => [row.id, row]));
  const changed = [];
  const added = [];
  const rows = fresh.map((row) => {
    const old = before.get(row.id);
    if (!old) {
      added.push(row.id);
      return row;
    }
    if (sameJson(old, row)) return old;
    changed.push(row.id);
    return row;
  });
  const kept = new Set(fresh.map((row) => row.id));
  const removed = previous.filter((row) => !kept.has(row.id)).map((row) => row.id);
  return { rows, changed, added, removed };
}

/**
 * Compare two values for sorting: numbers numerically, strings naturally, missing last.
 * @returns {number}
 */
export function compareValues(a, b) {
  const aMissing = a === null || a === undefined || a === '';
  const bMissing = b === null || b === undefined || b === '';
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * A sorted copy; missing values stay last in both directions; ties keep the order.
 * @template T
 * @param {T[]} rows
 * @param {(row: T) => unknown} key
 * @param {'asc'|'desc'} direction
 * @returns {T[]}
 */
export function sortRows(rows, key, direction = 'asc') {
  const sign = direction === 'desc' ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, value: key(row) }))
    .sort((x, y) => {
      const xMissing = x.value === null || x.value === undefined || x.value === '';
      const yMissing = y.value === null || y.value === undefined || y.value === '';
      if (xMissing || yMissing) return xMissing === yMissing ? x.index - y.index : xMissing ? 1 : -1;
      return sign * compareValues(x.value, y.value) || x.index - y.index;
    })
    .map((item) => item.row);
}
