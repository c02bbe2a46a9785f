/**
 * `memo(Component)`: skip re-rendering when every prop is identical (===).
 * Preact's own memo lives in preact/compat, which we do not vendor.
 * @module lib/memo
 */
import { Component, h } from '../../vendor/preact.module.js';

/**
 * @param {Record<string, unknown>} a
 * @param {Record<string, unknown>} b
 * @returns {boolean} true when both objects hold the same keys with === values
 */
export function shallowEqual(a, b) {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}

/**
 * @template P
 * @param {(props: P) => any} render
 * @returns {any} a component that re-renders only when a prop changed
 */
export function memo(render) {
  class Memoed extends Component {
    shouldComponentUpdate(next) {
      return !shallowEqual(this.props, next);
    }
    render(props) {
      return h(render, props);
    }
  }
  Memoed.displayName = `memo(${render.name || 'anonymous'})`;
  return Memoed;
}
