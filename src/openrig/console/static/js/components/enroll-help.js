/**
 * How to add a rig: enroll.conf on the boot stick (zero-touch) or one rig.conf per
 * rig. Shown on an empty farm, on the rig page and in farm settings.
 * @module components/enroll-help
 */
import { html } from '../lib/preact.js';
import { href } from '../lib/router.js';

/** @param {{farmId: string, canAdmin?: boolean}} props */
export function EnrollHelp({ farmId, canAdmin }) {
  return html`<div class="help">
    <h3>Adding rigs</h3>
    <ol>
      <li>Write the <strong>oros</strong> image to a USB stick for each rig.</li>
      <li>Put one of these files on the stick's config partition as <code>rig.conf</code>:
        <ul>
          <li><strong>enroll.conf</strong> — the same file for every rig of the farm; each rig
            registers itself at first boot and appears here.
            ${canAdmin
              ? html` Download it in <a href=${href('farms', farmId, 'settings')}>farm settings</a>.`
              : ' A farm admin can download it in farm settings.'}</li>
          <li><strong>rig.conf</strong> — one rig's own credentials: add the rig by name below, then
            use <em>Download rig.conf</em> on its page.</li>
        </ul>
      </li>
      <li>Boot the rig. It mines with the farm's config and reports within a minute; if this
        server is away it keeps mining with its last good config.</li>
    </ol>
  </div>`;
}
