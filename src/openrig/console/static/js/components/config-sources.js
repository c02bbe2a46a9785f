/**
 * The effective config of a rig, one row per leaf, with the layer it came from.
 * @module components/config-sources
 */
import { html } from '../lib/preact.js';
import { sourceLabel, valueAt } from '../lib/json.js';

const show = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

/** @param {{effective: object, sources: Record<string, string>, names: Record<string, string>}} props */
export function ConfigSources({ effective, sources, names }) {
  const paths = Object.keys(sources).sort();
  return html`<div class="table-box">
    <table class="cards sources">
      <thead><tr><th>Setting</th><th>Value</th><th>From</th></tr></thead>
      <tbody>
        ${paths.map(
          (path) => html`<tr key=${path}>
            <td data-label="Setting"><code>${path}</code></td>
            <td data-label="Value" class="value"><code>${show(valueAt(effective, path))}</code></td>
            <td data-label="From"><span class=${`badge source-${sources[path].split(':')[0]}`}>${sourceLabel(sources[path], names)}</span></td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
