/**
 * A confirmation dialog on the native <dialog> (focus trap, Escape to cancel).
 * Used before every fleet-wide or destructive action.
 * @module components/dialog
 */
import { html, useEffect, useRef, useState } from '../lib/preact.js';
import { ErrorNotice } from './ui.js';

/**
 * @param {{title: string, children?: any, confirmLabel?: string, danger?: boolean,
 *   onConfirm: () => Promise<unknown>|unknown, onClose: () => void}} props
 *   `onConfirm` may return a promise; errors are shown inside the dialog.
 */
export function ConfirmDialog({ title, children, confirmLabel = 'Confirm', danger, onConfirm, onClose }) {
  const ref = useRef(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog && dialog.open && dialog.close();
  }, []);
  const confirm = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (exc) {
      setError(exc);
      setBusy(false);
    }
  };
  return html`<dialog ref=${ref} class="dialog" aria-labelledby="dialog-title" onCancel=${onClose}>
    <form method="dialog" onSubmit=${confirm}>
      <h2 id="dialog-title">${title}</h2>
      <div class="dialog-body">${children}</div>
      <${ErrorNotice} error=${error} />
      <div class="actions">
        <button type="button" class="secondary" onClick=${onClose}>Cancel</button>
        <button type="submit" class=${danger ? 'danger' : 'primary'} disabled=${busy}>
          ${busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </form>
  </dialog>`;
}
