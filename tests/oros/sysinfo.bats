#!/usr/bin/env bats
# System facts for hello and report.

load helpers/common

setup() {
	oros_setup
	oros_source sysinfo
	NET="$BATS_TEST_TMPDIR/sys/sys/class/net"
	export OROS_SYSFS_ROOT="$BATS_TEST_TMPDIR/sys"
	unset OROS_HARDWARE_ID
}

nic() { # nic NAME MAC [wired|wireless|virtual]
	mkdir -p "$NET/$1"
	echo "$2" >"$NET/$1/address"
	echo 1 >"$NET/$1/type"
	[[ ${3:-wired} == virtual ]] || mkdir -p "$NET/$1/device"
	[[ ${3:-wired} != wireless ]] || mkdir -p "$NET/$1/wireless"
}

@test "hardware id: the first wired NIC's MAC; not wireless, virtual or zero" {
	nic docker0 02:42:00:00:00:01 virtual
	nic eth0 00:00:00:00:00:00
	nic enp3s0 aa:bb:cc:dd:ee:03
	nic wlan0 aa:bb:cc:dd:ee:01 wireless
	nic enp1s0 aa:bb:cc:dd:ee:02
	assert_eq aa:bb:cc:dd:ee:02 "$(sys_hardware_id)"
}

@test "hardware id: machine-id without a wired NIC; the override wins" {
	echo 0123456789abcdef0123456789abcdef >"$BATS_TEST_TMPDIR/machine-id"
	OROS_MACHINE_ID_FILE="$BATS_TEST_TMPDIR/machine-id" run sys_hardware_id
	assert_eq 0123456789abcdef0123456789abcdef "$output"
	OROS_HARDWARE_ID=my-rig-0001 run sys_hardware_id
	assert_eq my-rig-0001 "$output"
	OROS_HARDWARE_ID='$(reboot)' run sys_hardware_id
	[ "$status" -eq 1 ]
}

@test "image version from /etc/oros-release" {
	printf '# oros image\nVERSION="oros-2026.12.1"\n' >"$BATS_TEST_TMPDIR/rel"
	OROS_RELEASE_FILE="$BATS_TEST_TMPDIR/rel" run sys_image_version
	assert_eq oros-2026.12.1 "$output"
	printf 'oros-2027.1\n' >"$BATS_TEST_TMPDIR/rel"
	OROS_RELEASE_FILE="$BATS_TEST_TMPDIR/rel" run sys_image_version
	assert_eq oros-2027.1 "$output"
	OROS_RELEASE_FILE=/nonexistent run sys_image_version
	assert_eq "" "$output"
}

@test "facts and stats are JSON with the protocol's names" {
	nic enp1s0 aa:bb:cc:dd:ee:02
	facts=$(sys_facts_json)
	jq -e '(.hostname | length > 0) and (.kernel | length > 0) and (.cpu.cores >= 1)
	       and (.ram_mb > 0) and .nics == [{"name": "enp1s0", "mac": "aa:bb:cc:dd:ee:02", "ip": ""}]
	       and (.boot_time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))' <<<"$facts"
	jq -e '(.uptime_s | type == "number") and (.cpu_load >= 0) and (.mem_free_mb > 0)
	       and (.disk_free_mb >= 0)' <<<"$(sys_stats_json)"
}
