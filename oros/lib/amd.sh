# shellcheck shell=bash
# amd.sh — AMD GPU inventory and sensors read from sysfs, as JSON.
#
#   amd_cards           device directories of AMD GPUs (vendor 0x1002), card order
#   amd_device_dir N    device directory of the N-th AMD GPU (N counts AMD cards only)
#   amd_hwmon_dir DEV   the hwmon directory of a device directory
#   amd_gpu_json N DEV  one GPU as JSON
#   amd_gpus_json       JSON array of all AMD GPUs
#
# One GPU: {"vendor":"amd","index":0,"card":"card0","bus_id":"0000:01:00.0",
#   "device_id":"0x67df","name":…,"vbios":…,"driver":"amdgpu","mem_total_mib":…,
#   "temp_c":…(edge),"junction_temp_c":…,"mem_temp_c":…,"fan_pct":…,"fan_rpm":…,
#   "fan_mode":"manual"|"auto"|"none"|null,"power_w":…,"power_limit_w":…,
#   "core_mhz":…,"mem_mhz":…,"util_pct":…,"lost":false}
# Missing files give null. Settings: OROS_SYSFS_ROOT (default empty: the real /sys;
# tests point it at a fake tree).

_amd_drm() {
	printf '%s/sys/class/drm' "${OROS_SYSFS_ROOT:-}"
}

# _amd_read FILE — the file's content, or nothing when it is missing or unreadable.
_amd_read() {
	[[ -r $1 ]] || return 0
	local v
	v=$(<"$1") 2>/dev/null || return 0
	printf '%s' "$v"
}

# amd_cards — one device directory per line, ordered by card number.
amd_cards() {
	local drm card
	drm=$(_amd_drm)
	[[ -d $drm ]] || return 0
	for card in "$drm"/card*; do
		[[ ${card##*/} =~ ^card[0-9]+$ ]] || continue
		[[ $(_amd_read "$card/device/vendor") == 0x1002 ]] || continue
		printf '%s %s\n' "${card##*/card}" "$card/device"
	done | sort -n | cut -d' ' -f2-
}

# amd_device_dir N
amd_device_dir() {
	local dir
	dir=$(amd_cards | sed -n "$(($1 + 1))p")
	[[ -n $dir ]] || return 1
	printf '%s' "$dir"
}

# amd_hwmon_dir DEVICE_DIR — the first hwmon directory, if any.
amd_hwmon_dir() {
	local h
	for h in "$1"/hwmon/hwmon*; do
		[[ -d $h ]] && {
			printf '%s' "$h"
			return 0
		}
	done
	return 1
}

# _amd_temps HWMON — "label=millidegrees" lines for temp1..3 (labels default by index).
_amd_temps() {
	local i label defaults=(edge junction mem)
	for i in 1 2 3; do
		[[ -r $1/temp${i}_input ]] || continue
		label=$(_amd_read "$1/temp${i}_label")
		printf '%s=%s\n' "${label:-${defaults[i - 1]}}" "$(_amd_read "$1/temp${i}_input")"
	done
}

# amd_gpu_json INDEX DEVICE_DIR
amd_gpu_json() {
	local index=$1 dev=$2 hw=''
	hw=$(amd_hwmon_dir "$dev") || hw=/nonexistent
	jq -cn --argjson index "$index" --arg card "${dev%/device}" \
		--arg uevent "$(_amd_read "$dev/uevent")" \
		--arg device_id "$(_amd_read "$dev/device")" \
		--arg product "$(_amd_read "$dev/product_name")" \
		--arg vbios "$(_amd_read "$dev/vbios_version")" \
		--arg vram "$(_amd_read "$dev/mem_info_vram_total")" \
		--arg busy "$(_amd_read "$dev/gpu_busy_percent")" \
		--arg sclk "$(_amd_read "$dev/pp_dpm_sclk")" \
		--arg mclk "$(_amd_read "$dev/pp_dpm_mclk")" \
		--arg temps "$(_amd_temps "$hw")" \
		--arg pwm "$(_amd_read "$hw/pwm1")" \
		--arg pwm_max "$(_amd_read "$hw/pwm1_max")" \
		--arg pwm_enable "$(_amd_read "$hw/pwm1_enable")" \
		--arg rpm "$(_amd_read "$hw/fan1_input")" \
		--arg power "$(_amd_read "$hw/power1_average")" \
		--arg power_input "$(_amd_read "$hw/power1_input")" \
		--arg cap "$(_amd_read "$hw/power1_cap")" '
	  def num: if . == "" then null else (tonumber? // null) end;
	  def current_mhz: [split("\n")[] | select(test("\\*")) | capture("(?<m>[0-9]+) ?[Mm][Hh]z") | .m | tonumber] | first // null;
	  def round1: if . == null then null else (. * 10 | round) / 10 end;
	  ($temps | split("\n") | map(select(length > 0) | split("=") | {(.[0]): (.[1] | num)}) | add // {}) as $t
	  | ($pwm_max | num // 255) as $pmax
	  | {vendor: "amd", index: $index, card: ($card | split("/") | last),
	     bus_id: (($uevent | capture("PCI_SLOT_NAME=(?<b>[^\n]+)") | .b | ascii_downcase) // null),
	     device_id: (if $device_id == "" then null else $device_id end),
	     name: (if $product != "" then $product elif $device_id != "" then "AMD GPU " + $device_id else null end),
	     vbios: (if $vbios == "" then null else $vbios end), driver: "amdgpu",
	     mem_total_mib: ($vram | num | if . == null then null else (. / 1048576 | floor) end),
	     temp_c: ($t.edge | if . == null then null else (. / 1000 | round1) end),
	     junction_temp_c: ($t.junction | if . == null then null else (. / 1000 | round1) end),
	     mem_temp_c: ($t.mem | if . == null then null else (. / 1000 | round1) end),
	     fan_pct: ($pwm | num | if . == null or $pmax == 0 then null else (. * 100 / $pmax | round) end),
	     fan_rpm: ($rpm | num),
	     fan_mode: ({"0": "none", "1": "manual", "2": "auto"}[$pwm_enable] // null),
	     power_w: ((($power | num) // ($power_input | num)) | if . == null then null else (. / 1000000 | round1) end),
	     power_limit_w: ($cap | num | if . == null then null else (. / 1000000 | round) end),
	     core_mhz: ($sclk | current_mhz), mem_mhz: ($mclk | current_mhz),
	     util_pct: ($busy | num), lost: false}'
}

# amd_gpus_json — JSON array of every AMD GPU.
amd_gpus_json() {
	local dev i=0
	{
		while IFS= read -r dev; do
			amd_gpu_json "$i" "$dev"
			i=$((i + 1))
		done < <(amd_cards)
	} | jq -cs '.'
}
