/**
 * A uPlot line chart over the columnar series of `/rigs/{id}/metrics`. It follows
 * its box's width and the theme's colours (CSS custom properties).
 * @module components/chart
 */
import uPlot from '../../vendor/uPlot.esm.js';
import { html, useEffect, useRef } from '../lib/preact.js';

/**
 * @param {{title: string, t: number[], values: (number|null)[], color: string,
 *   format: (v: number|null) => string, range: [number, number]}} props `color` names a
 *   CSS variable; `range` is the x window in epoch seconds
 */
export function LineChart({ title, t, values, color, format, range }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    const styles = getComputedStyle(el);
    const stroke = styles.getPropertyValue(color).trim() || '#3b82f6';
    const grid = styles.getPropertyValue('--border').trim() || '#ccc';
    const text = styles.getPropertyValue('--muted').trim() || '#666';
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height: 180,
        legend: { show: false },
        scales: { x: { time: true, range: () => range } },
        cursor: { drag: { x: false, y: false } },
        series: [{}, { label: title, stroke, width: 2, fill: `${stroke}22`, value: (_u, v) => format(v) }],
        axes: [axis, { ...axis, size: 70, values: (_u, ticks) => ticks.map(format) }],
      },
      [t, values],
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: 180 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [t, values, color, range]);
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <div ref=${box} class="chart-box" role="img" aria-label=${`${title} chart`}></div>
  </figure>`;
}
