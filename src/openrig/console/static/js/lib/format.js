/**
 * Pure formatting of numbers and times for display. No DOM, tested with node --test.
 * Missing values (null/undefined/NaN) format as an em dash.
 * @module lib/format
 */

export const DASH = '—';

const missing = (value) => value === null || value === undefined || Number.isNaN(value);

const HASH_UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s'];

/**
 * Scale a number by powers of 1000 to the largest unit keeping it ≥ 1.
 * @param {number} value
 * @param {string[]} units
 * @returns {[number, string]}
 */
function scale(value, units) {
  let index = 0;
  let scaled = value;
  // 999.6 would print as "1000": compare what will be shown, not the raw number.
  while (Math.abs(Number(digits(scaled))) >= 1000 && index < units.length - 1) {
    scaled /= 1000;
    index += 1;
  }
  return [scaled, units[index]];
}

/** Three significant digits at most, without trailing zeros beyond one decimal. */
function digits(value) {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * @param {number|null|undefined} hs hashes per second
 * @returns {string} e.g. "62.0 MH/s", "1.25 GH/s", "0 H/s"
 */
export function formatHashrate(hs) {
  if (missing(hs)) return DASH;
  if (hs === 0) return '0 H/s';
  const [value, unit] = scale(hs, HASH_UNITS);
  return `${digits(value)} ${unit}`;
}

/**
 * @param {number|null|undefined} watts
 * @returns {string} "118 W", "1.20 kW"
 */
export function formatPower(watts) {
  if (missing(watts)) return DASH;
  if (Math.abs(watts) < 1000) return `${Math.round(watts)} W`;
  const [value, unit] = scale(watts, ['W', 'kW', 'MW', 'GW']);
  return `${digits(value)} ${unit}`;
}

/**
 * @param {number|null|undefined} hsPerWatt
 * @returns {string} "525 kH/W", "0.52 MH/W"
 */
export function formatEfficiency(hsPerWatt) {
  if (missing(hsPerWatt)) return DASH;
  const [value, unit] = scale(hsPerWatt, HASH_UNITS.map((u) => u.replace('/s', '/W')));
  return `${digits(value)} ${unit}`;
}

/** @param {number|null|undefined} celsius @returns {string} "64 °C" */
export function formatTemp(celsius) {
  return missing(celsius) ? DASH : `${Math.round(celsius)} °C`;
}

/** @param {number|null|undefined} pct @returns {string} "70 %" */
export function formatPercent(pct) {
  return missing(pct) ? DASH : `${Math.round(pct)} %`;
}

/** @param {number|null|undefined} mhz @returns {string} "1500 MHz" */
export function formatClock(mhz) {
  return missing(mhz) ? DASH : `${Math.round(mhz)} MHz`;
}

/**
 * @param {number|null|undefined} seconds
 * @returns {string} "45 s", "12 min", "3 h 5 min", "2 d 4 h"
 */
export function formatDuration(seconds) {
  if (missing(seconds)) return DASH;
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/**
 * @param {string|null|undefined} iso an ISO 8601 time
 * @param {number} [now] epoch ms (tests pass it)
 * @returns {string} "just now", "5 min ago", "in 2 h", or "never"
 */
export function formatAgo(iso, now = Date.now()) {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return DASH;
  const delta = (now - then) / 1000;
  if (Math.abs(delta) < 10) return 'just now';
  return delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}

/**
 * @param {string|null|undefined} iso
 * @returns {string} local date and time, "2026-12-04 10:00"
 */
export function formatTime(iso) {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  const pad = (n) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/**
 * @param {number|null|undefined} amount
 * @param {string} currency ISO code
 * @returns {string} "3.12 USD"
 */
export function formatMoney(amount, currency) {
  return missing(amount) ? DASH : `${amount.toFixed(2)} ${currency}`;
}

/** Human names of rig statuses. */
export const STATUS_LABEL = {
  online: 'Online',
  offline: 'Offline',
  miner_down: 'Miner down',
  zero_hashrate: '0 H/s',
  maintenance: 'Maintenance',
};
