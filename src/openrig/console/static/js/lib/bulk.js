/**
 * Pure translation of the dashboard's bulk form into an API request.
 * @module lib/bulk
 */

/** The bulk actions, in menu order. `command` ones go to /farms/{id}/commands. */
export const BULK_ACTIONS = [
  { key: 'flight_sheet_id', label: 'Set flight sheet', input: 'sheet' },
  { key: 'oc_profile_id', label: 'Set OC profile', input: 'profile' },
  { key: 'group_id', label: 'Move to group', input: 'group' },
  { key: 'add_tags', label: 'Add tags', input: 'tags' },
  { key: 'remove_tags', label: 'Remove tags', input: 'tags' },
  { key: 'config_patch', label: 'Patch rig config (JSON)', input: 'json' },
  { key: 'reboot', label: 'Reboot', command: true },
  { key: 'restart_miner', label: 'Restart miner', command: true },
];

/**
 * Tags typed as "a, b c" → ["a", "b", "c"] (unique, in order).
 * @param {string} text
 * @returns {string[]}
 */
export function parseTags(text) {
  return [...new Set(String(text || '').split(/[\s,]+/).filter(Boolean))];
}

/**
 * @param {string} key one of BULK_ACTIONS' keys
 * @param {string} value the form value ("" = none / inherit for pointers)
 * @returns {{kind: 'command', type: string} | {kind: 'bulk', action: object}}
 * @throws {Error} with a user-facing message when the value is unusable
 */
export function bulkRequest(key, value) {
  const spec = BULK_ACTIONS.find((a) => a.key === key);
  if (!spec) throw new Error('Choose an action.');
  if (spec.command) return { kind: 'command', type: key };
  if (spec.input === 'tags') {
    const tags = parseTags(value);
    if (tags.length === 0) throw new Error('Type at least one tag.');
    return { kind: 'bulk', action: { [key]: tags } };
  }
  if (spec.input === 'json') {
    let patch;
    try {
      patch = JSON.parse(value);
    } catch {
      throw new Error('The config patch is not valid JSON.');
    }
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
      throw new Error('The config patch must be a JSON object, e.g. {"maintenance": true}.');
    }
    return { kind: 'bulk', action: { config_patch: patch } };
  }
  return { kind: 'bulk', action: { [key]: value || null } };
}
