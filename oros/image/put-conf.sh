#!/usr/bin/env bash
# put-conf.sh — put rig.conf (a rig's rig.conf, or the farm's enroll.conf) on the OPENRIG
# partition of an oros image file or of a flashed key, without mounting anything.
#
#   oros/image/put-conf.sh IMAGE_OR_DEVICE CONF_FILE
#
# The file is checked the way oros reads it first (oros/lib/conf.sh), then written as
# rig.conf with mtools. Needs sfdisk (fdisk) and mtools.
set -euo pipefail

die() {
	printf 'put-conf.sh: %s\n' "$*" >&2
	exit 1
}
(($# == 2)) || die "usage: $0 IMAGE_OR_DEVICE CONF_FILE"
target=$1 conf=$2
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
[[ -r $target ]] || die "cannot read $target"
(
	# shellcheck source=oros/lib/conf.sh
	source "$here/../lib/conf.sh"
	conf_load "$conf"
) || die "$conf is not a valid rig.conf (see above)"

# the second partition's byte offset, from the partition table
offset=$(sfdisk -d -- "$target" 2>/dev/null | awk -F'[:,=]' '
	/start=/ { n++; if (n == 2) { gsub(/ /, "", $3); print $3 * 512; exit } }')
[[ $offset =~ ^[0-9]+$ ]] || die "$target has no second partition (is it an oros image?)"
export MTOOLS_SKIP_CHECK=1
label=$(mlabel -s -i "$target@@$offset" :: 2>/dev/null) || label=''
[[ $label == *OPENRIG* ]] || die "the second partition of $target is not labelled OPENRIG"
mcopy -o -i "$target@@$offset" -- "$conf" ::/rig.conf
sync
printf 'put-conf.sh: %s → rig.conf on the OPENRIG partition of %s\n' "$conf" "$target"
