/**
 * Polling that slows down while the tab is hidden and backs off after failures
 * (healthchecks-style). `nextDelay` is pure and tested; `startPolling` wires it to
 * timers and `document.visibilityState`.
 * @module lib/poll
 */

/**
 * @param {{visible: boolean, failures: number, interval: number, hiddenInterval: number, maxInterval?: number}} state
 * @returns {number} milliseconds until the next poll
 */
export function nextDelay({ visible, failures, interval, hiddenInterval, maxInterval = 300000 }) {
  const base = visible ? interval : hiddenInterval;
  return Math.min(base * 2 ** Math.min(failures, 6), Math.max(maxInterval, base));
}

/**
 * Call `tick` now and then again and again; returns a stop function.
 * @param {() => Promise<unknown>} tick
 * @param {{interval?: number, hiddenInterval?: number, doc?: Document}} [options]
 * @returns {() => void}
 */
export function startPolling(tick, { interval = 10000, hiddenInterval = 60000, doc = document } = {}) {
  let timer = null;
  let failures = 0;
  let stopped = false;
  let running = false;
  const visible = () => doc.visibilityState !== 'hidden';

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, nextDelay({ visible: visible(), failures, interval, hiddenInterval }));
  };
  async function run() {
    if (stopped || running) return;
    running = true;
    try {
      await tick();
      failures = 0;
    } catch {
      failures += 1;
    } finally {
      running = false;
      schedule();
    }
  }
  // Coming back to the tab refreshes at once; hiding it just stretches the next wait.
  const onVisibility = () => (visible() ? run() : schedule());
  doc.addEventListener('visibilitychange', onVisibility);
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
