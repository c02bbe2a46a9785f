/**
 * The one place that imports the vendored Preact, hooks and htm (see
 * vendor/VERSIONS.txt). `html` is htm bound to Preact: templates become
 * virtual DOM, and every interpolated string becomes a text node — never HTML.
 * @module lib/preact
 */
import { h, render, Fragment, createContext } from '../../vendor/preact.module.js';
import htm from '../../vendor/htm.module.js';

export {
  useState,
  useEffect,
  useMemo,
  useRef,
  useCallback,
  useContext,
} from '../../vendor/preact-hooks.module.js';
export { memo } from './memo.js';
export { h, render, Fragment, createContext };

/** Tagged template producing Preact elements. */
export const html = htm.bind(h);
