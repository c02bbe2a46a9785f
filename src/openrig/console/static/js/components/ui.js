/**
 * Small shared pieces: notices, empty states, status badges, sections, fields.
 * Every value is rendered as text by htm/Preact.
 * @module components/ui
 */
import { html } from '../lib/preact.js';
import { STATUS_LABEL } from '../lib/format.js';

/** An error notice for an ApiError or any Error; nothing when `error` is null. */
export function ErrorNotice({ error }) {
  if (!error) return null;
  const details = error.details || [];
  return html`<div class="notice error" role="alert">
    <strong>${error.message || String(error)}</strong>
    ${details.length > 0 &&
    html`<ul>
      ${details.map((d) => html`<li>${d.path ? `${d.path}: ` : ''}${d.message}</li>`)}
    </ul>`}
  </div>`;
}

/** "Loading…" placeholder, announced politely to screen readers. */
export function Loading({ label = 'Loading…' }) {
  return html`<p class="muted" aria-live="polite">${label}</p>`;
}

/** An empty state that explains what to do next. */
export function EmptyState({ title, children }) {
  return html`<div class="empty"><h3>${title}</h3>${children}</div>`;
}

/** A rig status as a coloured badge with its label. */
export function StatusBadge({ status }) {
  return html`<span class="badge status-${status}">${STATUS_LABEL[status] || status}</span>`;
}

/** A titled block of a page with optional actions on the right. */
export function Section({ title, actions, children, id }) {
  return html`<section class="card" id=${id} aria-label=${title}>
    <header class="card-head"><h2>${title}</h2>${actions && html`<div class="actions">${actions}</div>`}</header>
    ${children}
  </section>`;
}

/**
 * A labelled input. `error` (string) is shown under it and linked by aria-describedby.
 * Other props go to the <input> (or <select>/<textarea> with `as`). The control's id
 * is `field-<id|name|label>`: pass `id` when a page shows two fields of one name.
 */
export function Field({ label, error, hint, as = 'input', id, children, ...props }) {
  const slug = String(id || props.name || label).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const fieldId = `field-${slug}`;
  const describedBy = error ? `${fieldId}-error` : hint ? `${fieldId}-hint` : undefined;
  const control =
    as === 'select'
      ? html`<select id=${fieldId} aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy} ...${props}>${children}</select>`
      : as === 'textarea'
        ? html`<textarea id=${fieldId} aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy} ...${props}></textarea>`
        : html`<input id=${fieldId} aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy} ...${props} />`;
  return html`<div class="field">
    <label for=${fieldId}>${label}</label>
    ${control}
    ${hint && !error && html`<small id=${`${fieldId}-hint`} class="muted">${hint}</small>`}
    ${error && html`<small id=${`${fieldId}-error`} class="field-error">${error}</small>`}
  </div>`;
}

/**
 * The message for a form field from an ApiError's details.
 * @param {any} error
 * @param {string} path
 */
export function fieldError(error, path) {
  return error && typeof error.detailFor === 'function' ? error.detailFor(path) : undefined;
}
