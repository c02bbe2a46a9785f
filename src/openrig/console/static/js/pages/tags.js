/**
 * Tags in use with their rig counts; each links to the dashboard filtered by it.
 * @module pages/tags
 */
import { html } from '../lib/preact.js';
import { useAsync } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { useApp } from '../components/context.js';
import { FarmFrame } from '../components/layout.js';
import { EmptyState, ErrorNotice, Loading, Section } from '../components/ui.js';

function Tags({ farm }) {
  const { api } = useApp();
  const tags = useAsync(() => api.rigs.tags(farm.id), [farm.id]);
  if (tags.error) return html`<${ErrorNotice} error=${tags.error} />`;
  if (!tags.data) return html`<${Loading} />`;
  return html`<${Section} title="Tags">
    <p class="muted">Tags are free labels on rigs (location, card model, owner…). Set them on a rig's page, or select rigs on the dashboard and use “Add tags” / “Remove tags”; filter the dashboard by tag.</p>
    ${tags.data.items.length === 0
      ? html`<${EmptyState} title="No tags in use" />`
      : html`<ul class="list">${tags.data.items.map((t) => html`<li key=${t.tag} class="list-row">
          <a class="tag" href=${`${href('farms', farm.id)}?tag=${encodeURIComponent(t.tag)}`}>${t.tag}</a><span class="muted">${t.rig_count} ${t.rig_count === 1 ? 'rig' : 'rigs'}</span></li>`)}</ul>`}
  </${Section}>`;
}

export function TagsPage({ params }) {
  return html`<${FarmFrame} farmId=${params.farmId} active="tags" title="Tags">
    ${(farm) => html`<${Tags} farm=${farm} />`}
  </${FarmFrame}>`;
}
