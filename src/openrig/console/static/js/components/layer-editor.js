/**
 * Edit one config layer (farm defaults, a group, a rig): flight sheet and OC profile
 * pointers plus the layer's own overrides as JSON. Saving sends the merge patch from
 * the loaded layer to the edited one, so removed keys inherit again.
 * @module components/layer-editor
 */
import { html, useEffect, useState } from '../lib/preact.js';
import { useAction, useAsync } from '../lib/hooks.js';
import { mergePatchBetween, parseObject, pretty } from '../lib/json.js';
import { useApp } from './context.js';
import { ErrorNotice, Field, Loading } from './ui.js';

/**
 * @param {{kind: 'farm'|'group'|'rig', id: string, farmId: string, canEdit: boolean,
 *   onSaved?: () => void}} props
 */
export function LayerEditor({ kind, id, farmId, canEdit, onSaved }) {
  const { api, notify } = useApp();
  const layer = useAsync(() => api.config.layer(kind, id), [kind, id]);
  const library = useAsync(
    () => Promise.all([api.config.sheets.list(farmId), api.config.profiles.list(farmId)]),
    [farmId],
  );
  const [text, setText] = useState('');
  const [sheet, setSheet] = useState('');
  const [profile, setProfile] = useState('');
  useEffect(() => {
    if (!layer.data) return;
    setText(pretty(layer.data.config));
    setSheet(layer.data.flight_sheet_id || '');
    setProfile(layer.data.oc_profile_id || '');
  }, [layer.data]);
  const parsed = parseObject(text);
  const save = useAction(async () => {
    if (parsed.error) throw new Error(parsed.error);
    const body = { config: mergePatchBetween(layer.data.config, parsed.value) };
    if (sheet !== (layer.data.flight_sheet_id || '')) body.flight_sheet_id = sheet || null;
    if (profile !== (layer.data.oc_profile_id || '')) body.oc_profile_id = profile || null;
    const answer = await api.config.patchLayer(kind, id, body);
    notify(`Saved; ${answer.rigs_affected} ${answer.rigs_affected === 1 ? 'rig' : 'rigs'} affected.`);
    await layer.reload();
    if (onSaved) onSaved();
  });
  if (layer.error) return html`<${ErrorNotice} error=${layer.error} />`;
  if (!layer.data || !library.data) return html`<${Loading} />`;
  const [sheets, profiles] = library.data;
  const inherit = kind === 'farm' ? 'None' : 'Inherit';
  return html`<form class="stack" onSubmit=${(e) => { e.preventDefault(); save.run(); }}>
    <div class="row">
      <${Field} label="Flight sheet" id=${`${kind}-sheet`} as="select" value=${sheet} disabled=${!canEdit}
        onChange=${(e) => setSheet(e.currentTarget.value)}>
        <option value="">${inherit}</option>
        ${sheets.items.map((s) => html`<option key=${s.id} value=${s.id}>${s.name}</option>`)}
      </${Field}>
      <${Field} label="OC profile" id=${`${kind}-profile`} as="select" value=${profile} disabled=${!canEdit}
        onChange=${(e) => setProfile(e.currentTarget.value)}>
        <option value="">${inherit}</option>
        ${profiles.items.map((p) => html`<option key=${p.id} value=${p.id}>${p.name}</option>`)}
      </${Field}>
    </div>
    <${Field} label="Overrides (JSON; remove a key to inherit it again)" id=${`${kind}-config`} as="textarea"
      class="code" rows="10" spellcheck="false" value=${text} readonly=${!canEdit}
      error=${parsed.error} onInput=${(e) => setText(e.currentTarget.value)} />
    <${ErrorNotice} error=${save.error} />
    ${canEdit && html`<div class="actions"><button class="primary" type="submit" disabled=${save.busy || Boolean(parsed.error)}>Save ${kind} config</button></div>`}
  </form>`;
}
