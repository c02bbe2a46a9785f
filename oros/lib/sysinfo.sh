# shellcheck shell=bash
# sysinfo.sh — facts about the rig for `hello` and the numbers of each `report`.
#
#   sys_hostname              the host name (≤ 100 characters)
#   sys_hardware_id           stable id for enrollment: OROS_HARDWARE_ID, else the MAC of
#                             the first wired NIC, else /etc/machine-id
#   sys_boot_time             boot time, RFC 3339 UTC (from /proc/stat btime)
#   sys_image_version         first line (or VERSION=…) of OROS_RELEASE_FILE
#   sys_nics_json             [{"name","mac","ip"}] (ip from `ip -j addr` when present)
#   sys_facts_json            {hostname, boot_time, image_version, kernel, cpu,
#                              motherboard, ram_mb, disk, nics} — hello's system part
#   sys_stats_json            {uptime_s, cpu_load, mem_free_mb, disk_free_mb}
#
# Only coreutils, util-linux and /proc, /sys are used. Settings: OROS_SYSFS_ROOT (prefix
# for /sys, tests), OROS_PROC_ROOT (prefix for /proc), OROS_RELEASE_FILE
# (/etc/oros-release), OROS_MACHINE_ID_FILE (/etc/machine-id), OROS_DISK_PATH (the file
# system whose free space is reported; default /).

_sys_read() {
	[[ -r $1 ]] || return 0
	local v
	v=$(<"$1") 2>/dev/null || return 0
	printf '%s' "$v"
}

sys_hostname() {
	local h
	h=$(uname -n 2>/dev/null) || h=rig
	printf '%s' "${h:0:100}"
}

# _sys_wired_macs — MACs of physical, non-wireless Ethernet NICs, by NIC name.
_sys_wired_macs() {
	local dev mac
	for dev in "${OROS_SYSFS_ROOT:-}"/sys/class/net/*; do
		[[ -e $dev/device && ! -e $dev/wireless && ! -e $dev/phy80211 ]] || continue
		[[ $(_sys_read "$dev/type") == 1 ]] || continue
		mac=$(_sys_read "$dev/address")
		[[ $mac =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ && $mac != 00:00:00:00:00:00 ]] || continue
		printf '%s\n' "$mac"
	done
}

sys_hardware_id() {
	local id=${OROS_HARDWARE_ID:-}
	[[ -n $id ]] || id=$(_sys_wired_macs | head -n 1)
	[[ -n $id ]] || id=$(_sys_read "${OROS_MACHINE_ID_FILE:-/etc/machine-id}")
	if [[ ! $id =~ ^[A-Za-z0-9:._-]{8,128}$ ]]; then
		return 1
	fi
	printf '%s' "$id"
}

sys_boot_time() {
	local btime
	btime=$(awk '$1 == "btime" { print $2 }' "${OROS_PROC_ROOT:-}/proc/stat" 2>/dev/null)
	[[ $btime =~ ^[0-9]+$ ]] || return 0
	date -u -d "@$btime" +%Y-%m-%dT%H:%M:%SZ
}

sys_image_version() {
	local file=${OROS_RELEASE_FILE:-/etc/oros-release} line
	[[ -r $file ]] || return 0
	while IFS= read -r line; do
		line=${line%$'\r'}
		[[ -z $line || $line == \#* ]] && continue
		if [[ $line =~ ^VERSION=[\"\']?([^\"\']*) ]]; then
			line=${BASH_REMATCH[1]}
		elif [[ $line == *=* ]]; then
			continue
		fi
		printf '%s' "${line:0:128}"
		return 0
	done <"$file"
}

# sys_nics_json — every NIC but lo; the first IPv4 address when `ip` is available.
sys_nics_json() {
	local addrs='[]' dev
	if command -v ip >/dev/null 2>&1; then
		addrs=$(ip -j addr 2>/dev/null) || addrs='[]'
		jq -e 'type == "array"' <<<"$addrs" >/dev/null 2>&1 || addrs='[]'
	fi
	for dev in "${OROS_SYSFS_ROOT:-}"/sys/class/net/*; do
		[[ -e $dev && ${dev##*/} != lo ]] || continue
		jq -cn --arg name "${dev##*/}" --arg mac "$(_sys_read "$dev/address")" \
			--argjson addrs "$addrs" '{name: $name, mac: $mac,
			  ip: ([$addrs[] | select(.ifname == $name) | .addr_info[]?
			        | select(.family == "inet") | .local] | first // "")}'
	done | jq -cs '.[0:16]'
}

# _sys_meminfo KEY — a /proc/meminfo value in MiB.
_sys_meminfo() {
	awk -v k="$1:" '$1 == k { printf "%d", $2 / 1024 }' "${OROS_PROC_ROOT:-}/proc/meminfo" 2>/dev/null
}

# _sys_disk_json — model and size of the disk holding the root file system.
_sys_disk_json() {
	local src parent
	src=$(findmnt -no SOURCE / 2>/dev/null) || src=''
	parent=$(lsblk -no PKNAME -- "$src" 2>/dev/null | head -n 1) || parent=''
	[[ -n $parent ]] || parent=${src#/dev/}
	[[ $parent =~ ^[A-Za-z0-9._-]+$ && -e ${OROS_SYSFS_ROOT:-}/sys/block/$parent ]] || {
		echo null
		return 0
	}
	jq -cn --arg model "$(_sys_read "${OROS_SYSFS_ROOT:-}/sys/block/$parent/device/model")" \
		--arg sectors "$(_sys_read "${OROS_SYSFS_ROOT:-}/sys/block/$parent/size")" \
		'{model: ($model | sub("\\s+$"; "")),
		  size_mb: ($sectors | tonumber? // null | if . == null then null else (. * 512 / 1048576 | floor) end)}'
}

sys_facts_json() {
	local dmi="${OROS_SYSFS_ROOT:-}/sys/class/dmi/id"
	jq -cn --arg hostname "$(sys_hostname)" --arg boot "$(sys_boot_time)" \
		--arg image "$(sys_image_version)" --arg kernel "$(uname -r 2>/dev/null)" \
		--arg cpu "$(awk -F': *' '$1 ~ /^model name/ { print $2; exit }' "${OROS_PROC_ROOT:-}/proc/cpuinfo" 2>/dev/null)" \
		--arg cores "$(nproc 2>/dev/null)" --arg board_vendor "$(_sys_read "$dmi/board_vendor")" \
		--arg board "$(_sys_read "$dmi/board_name")" --arg ram "$(_sys_meminfo MemTotal)" \
		--argjson disk "$(_sys_disk_json)" --argjson nics "$(sys_nics_json)" '
	  def s: .[0:128];
	  {hostname: ($hostname | s), boot_time: (if $boot == "" then null else $boot end),
	   image_version: ($image | s), kernel: ($kernel | s),
	   cpu: {model: ($cpu | s), cores: ($cores | tonumber? // null)},
	   motherboard: {vendor: ($board_vendor | s), model: ($board | s)},
	   ram_mb: ($ram | tonumber? // null), disk: $disk,
	   nics: [$nics[] | map_values(s)]}'
}

sys_stats_json() {
	local up load
	up=$(_sys_read "${OROS_PROC_ROOT:-}/proc/uptime")
	load=$(_sys_read "${OROS_PROC_ROOT:-}/proc/loadavg")
	jq -cn --arg up "${up%% *}" --arg load "${load%% *}" --arg mem "$(_sys_meminfo MemAvailable)" \
		--arg disk "$(df -Pm -- "${OROS_DISK_PATH:-/}" 2>/dev/null | awk 'NR == 2 { print $4 }')" '
	  def n: tonumber? // null;
	  {uptime_s: ($up | n | if . == null then 0 else floor end), cpu_load: ($load | n // 0),
	   mem_free_mb: ($mem | n), disk_free_mb: ($disk | n)}'
}
