/**
 * Data hooks shared by pages: load once, or keep polling (slower when hidden).
 * @module lib/hooks
 */
import { useCallback, useEffect, useRef, useState } from './preact.js';
import { startPolling } from './poll.js';

/**
 * Run `load` when `deps` change; `reload()` runs it again.
 * @template T
 * @param {() => Promise<T>} load
 * @param {unknown[]} deps
 * @returns {{data: T|undefined, error: Error|null, loading: boolean, reload: () => Promise<void>, setData: (data: T) => void}}
 */
export function useAsync(load, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    reload();
  }, [reload]);
  const setData = useCallback((data) => setState((s) => ({ ...s, data })), []);
  return { ...state, reload, setData };
}

/**
 * Call `tick` now and every `interval` ms while mounted (every `hiddenInterval` ms
 * while the tab is hidden). `tick` should update state itself.
 * @param {() => Promise<unknown>} tick
 * @param {unknown[]} deps
 * @param {{interval?: number, hiddenInterval?: number}} [options]
 */
export function usePolling(tick, deps, options) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => startPolling(() => latest.current(), options), deps);
}

/**
 * Wrap an async action (a form submit, a button) with busy and error state.
 * `run(...args)` resolves to the action's result, or undefined when it failed.
 * @template T
 * @param {(...args: any[]) => Promise<T>} action
 * @returns {{run: (...args: any[]) => Promise<T|undefined>, busy: boolean, error: any, setError: (e: any) => void}}
 */
export function useAction(action) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(async (...args) => {
    setBusy(true);
    setError(null);
    try {
      return await latest.current(...args);
    } catch (exc) {
      setError(exc);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}

/**
 * Form values from a submit event, as an object of strings (FormData).
 * @param {SubmitEvent} event
 * @returns {Record<string, string>}
 */
export function formValues(event) {
  event.preventDefault();
  return Object.fromEntries(new FormData(/** @type {HTMLFormElement} */ (event.currentTarget)));
}
