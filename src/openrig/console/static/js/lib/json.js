/**
 * Pure JSON helpers for config editing: the merge patch (RFC 7386) that turns one
 * layer into another, leaf lookup by dotted path, and source labels.
 * @module lib/json
 */
import { sameJson } from './rows.js';

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The merge patch that, applied to `before`, gives `after` (removed keys → null).
 * @param {object} before
 * @param {object} after
 * @returns {object} {} when nothing changed
 */
export function mergePatchBetween(before, after) {
  const patch = {};
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (isObject(old) && isObject(value)) {
      const inner = mergePatchBetween(old, value);
      if (Object.keys(inner).length) patch[key] = inner;
    } else if (!sameJson(old, value)) {
      patch[key] = value;
    }
  }
  return patch;
}

/**
 * @param {object} doc
 * @param {string} path dotted, e.g. "oc.nvidia.power_limit_w"
 * @returns {unknown} undefined when absent
 */
export function valueAt(doc, path) {
  return path.split('.').reduce((node, key) => (isObject(node) ? node[key] : undefined), doc);
}

/**
 * A layer source ("builtin", "farm", "flight_sheet:<id>", "group:<id>", "rig") as words.
 * @param {string} source
 * @param {Record<string, string>} names id → name of sheets, profiles and groups
 * @returns {string}
 */
export function sourceLabel(source, names = {}) {
  const [kind, id] = source.split(':');
  const label = { builtin: 'built-in default', farm: 'farm', rig: 'this rig', flight_sheet: 'flight sheet', oc_profile: 'OC profile', group: 'group' }[kind] || kind;
  return id ? `${label} ${names[id] ? `“${names[id]}”` : id.slice(0, 8)}` : label;
}

/**
 * Parse a JSON object typed by a user.
 * @param {string} text
 * @returns {{value?: object, error?: string}}
 */
export function parseObject(text) {
  try {
    const value = JSON.parse(text.trim() || '{}');
    return isObject(value) ? { value } : { error: 'Must be a JSON object: { … }' };
  } catch (exc) {
    return { error: `Not valid JSON: ${exc.message}` };
  }
}

/** Pretty JSON for display and editing. */
export const pretty = (value) => JSON.stringify(value, null, 2);
