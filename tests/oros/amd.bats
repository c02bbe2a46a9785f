#!/usr/bin/env bats
# AMD inventory from a fake sysfs tree (RX 580, RX 6800, and an Intel iGPU to skip).

load helpers/common

setup() {
	oros_setup
	oros_source amd
	export OROS_SYSFS_ROOT="$FIXTURES/sysfs/two-amd-one-intel"
}

@test "only AMD cards are listed, in card order, connectors skipped" {
	run amd_cards
	assert_eq "$OROS_SYSFS_ROOT/sys/class/drm/card0/device
$OROS_SYSFS_ROOT/sys/class/drm/card1/device" "$output"
	assert_eq "$OROS_SYSFS_ROOT/sys/class/drm/card1/device" "$(amd_device_dir 1)"
	run amd_device_dir 2
	[ "$status" -eq 1 ]
}

@test "RX 580: edge temperature only, auto fan, current DPM states" {
	out=$(amd_gpus_json)
	assert_json_eq '{"vendor":"amd","index":0,"card":"card0","bus_id":"0000:01:00.0","device_id":"0x67df","name":"AMD GPU 0x67df","vbios":"113-1E3660U-O55","driver":"amdgpu","mem_total_mib":8192,"temp_c":61,"junction_temp_c":null,"mem_temp_c":null,"fan_pct":60,"fan_rpm":2050,"fan_mode":"auto","power_w":118.2,"power_limit_w":145,"core_mhz":1366,"mem_mhz":2000,"util_pct":100,"lost":false}' \
		"$(jq -c '.[0]' <<<"$out")"
}

@test "RX 6800: edge, junction and memory temperatures, manual fan" {
	out=$(amd_gpus_json)
	assert_json_eq '{"temp_c":52,"junction_temp_c":66,"mem_temp_c":74,"fan_pct":40,"fan_mode":"manual","power_w":131,"core_mhz":1327,"mem_mhz":1000,"mem_total_mib":16368}' \
		"$(jq -c '.[1] | {temp_c, junction_temp_c, mem_temp_c, fan_pct, fan_mode, power_w, core_mhz, mem_mhz, mem_total_mib}' <<<"$out")"
}

@test "no drm directory gives an empty list" {
	OROS_SYSFS_ROOT="$BATS_TEST_TMPDIR/empty" run amd_gpus_json
	assert_eq "[]" "$output"
}

@test "missing sensor files give nulls, not errors" {
	root="$BATS_TEST_TMPDIR/sparse"
	mkdir -p "$root/sys/class/drm/card0/device"
	echo 0x1002 >"$root/sys/class/drm/card0/device/vendor"
	out=$(OROS_SYSFS_ROOT=$root amd_gpus_json)
	assert_json_eq '{"index":0,"temp_c":null,"fan_pct":null,"power_w":null,"core_mhz":null,"bus_id":null}' \
		"$(jq -c '.[0] | {index, temp_c, fan_pct, power_w, core_mhz, bus_id}' <<<"$out")"
}
