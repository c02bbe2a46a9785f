#!/usr/bin/env bats
# Overclocking: plans built with jq, run as argv arrays through a recording runner.

load helpers/common

setup() {
	oros_setup
	oros_source evq amd oc
	cp -r "$FIXTURES/sysfs/two-amd-one-intel" "$BATS_TEST_TMPDIR/sysfs"
	export OROS_SYSFS_ROOT="$BATS_TEST_TMPDIR/sysfs"
	RUNS="$BATS_TEST_TMPDIR/runs.jsonl"
	: >"$RUNS"
	OC_RUNNER=record
	unset DISPLAY
	export NV_SETTINGS=true # "installed"; only DISPLAY decides in these tests
	FAIL_ON=''
}

# record ARGV... — the test runner: log the argv as JSON; run sysfs writes for real
# (into the copied tree); fail when the argv matches $FAIL_ON.
record() {
	jq -cn '$ARGS.positional' --args -- "$@" >>"$RUNS"
	if [[ -n $FAIL_ON && "$*" == *$FAIL_ON* ]]; then
		echo "Failed to set power limit: Insufficient Permissions"
		return 4
	fi
	[[ $1 == amd_sysfs_write ]] && "$@"
	return 0
}

CONFIG='{
  "oc": {
    "nvidia": {"power_limit_w": 130, "core_offset_mhz": -200, "mem_offset_mhz": 1200,
               "fan": {"mode": "fixed", "pct": 70}},
    "amd": {"core_clock_mhz": 1100, "mem_clock_mhz": 2000, "core_voltage_mv": 900,
            "fan": {"mode": "fixed", "pct": 60}},
    "per_gpu": {"1": {"nvidia": {"power_limit_w": 200, "core_lock_mhz": 1500,
                                 "fan": {"mode": "auto"}}},
                "7": {"nvidia": {"power_limit_w": 90}}}
  }
}'
NV_GPUS='[{"vendor":"nvidia","index":0},{"vendor":"nvidia","index":1},
          {"vendor":"nvidia","index":null,"lost":true,"bus_id":"0000:03:00.0"}]'

@test "per-GPU overrides merge over the vendor block; a per-GPU fan replaces it" {
	assert_json_eq '{"power_limit_w":200,"core_offset_mhz":-200,"mem_offset_mhz":1200,"core_lock_mhz":1500,"fan":{"mode":"auto"}}' \
		"$(oc_gpu_settings "$CONFIG" nvidia 1)"
	assert_json_eq '{"power_limit_w":130,"core_offset_mhz":-200,"mem_offset_mhz":1200,"fan":{"mode":"fixed","pct":70}}' \
		"$(oc_gpu_settings "$CONFIG" nvidia 0)"
	assert_json_eq '{}' "$(oc_gpu_settings '{}' amd 0)"
}

@test "NVIDIA with X: nvidia-smi and nvidia-settings argv, memory offset doubled" {
	DISPLAY=:0 oc_apply "$CONFIG" "$NV_GPUS" >"$BATS_TEST_TMPDIR/events"
	expected='["nvidia-smi","-i","0","-pl","130"]
["nvidia-smi","-i","0","-rgc"]
["true","-a","[gpu:0]/GPUGraphicsClockOffsetAllPerformanceLevels=-200"]
["true","-a","[gpu:0]/GPUMemoryTransferRateOffsetAllPerformanceLevels=2400"]
["true","-a","[gpu:0]/GPUFanControlState=1","-a","[fan:0]/GPUTargetFanSpeed=70"]
["nvidia-smi","-i","1","-pl","200"]
["nvidia-smi","-i","1","-lgc","1500,1500"]
["true","-a","[gpu:1]/GPUGraphicsClockOffsetAllPerformanceLevels=-200"]
["true","-a","[gpu:1]/GPUMemoryTransferRateOffsetAllPerformanceLevels=2400"]
["true","-a","[gpu:1]/GPUFanControlState=0"]'
	assert_eq "$expected" "$(cat "$RUNS")"
	events=$(jq -c '{type, gpu}' "$BATS_TEST_TMPDIR/events")
	assert_eq '{"type":"oc_applied","gpu":0}
{"type":"oc_applied","gpu":1}
{"type":"oc_not_applied","gpu":null}' "$events"
	assert_contains "$(cat "$BATS_TEST_TMPDIR/events")" 'oc.per_gpu[\"7\"]: no such GPU'
}

@test "NVIDIA without X: offsets and fixed fan are reported as not applied" {
	oc_apply "$CONFIG" '[{"vendor":"nvidia","index":0}]' >"$BATS_TEST_TMPDIR/events"
	assert_eq '["nvidia-smi","-i","0","-pl","130"]
["nvidia-smi","-i","0","-rgc"]' "$(cat "$RUNS")"
	assert_eq '["core_offset_mhz","mem_offset_mhz","fan"]' \
		"$(jq -cs '[.[] | select(.type == "oc_not_applied" and .gpu == 0) | .data.setting]' "$BATS_TEST_TMPDIR/events")"
	assert_contains "$(cat "$BATS_TEST_TMPDIR/events")" "no X display"
}

@test "a failing command becomes an oc_failed event with its output" {
	FAIL_ON='-pl'
	oc_apply "$CONFIG" '[{"vendor":"nvidia","index":0}]' >"$BATS_TEST_TMPDIR/events"
	ev=$(jq -c 'select(.type == "oc_failed")' "$BATS_TEST_TMPDIR/events")
	assert_json_eq '{"setting":"power_limit_w","exit_code":4,"argv":["nvidia-smi","-i","0","-pl","130"]}' \
		"$(jq -c '.data | {setting, exit_code, argv}' <<<"$ev")"
	assert_contains "$ev" "Insufficient Permissions"
	# The other settings still ran.
	assert_contains "$(cat "$RUNS")" '-rgc'
}

@test "values that are not numbers are refused with an event, never run" {
	bad='{"oc":{"nvidia":{"power_limit_w":"130; reboot","core_offset_mhz":"$(touch /tmp/x)",
	       "core_lock_mhz":99999,"fan":{"mode":"fixed","pct":"70`id`"}}}}'
	DISPLAY=:0 oc_apply "$bad" '[{"vendor":"nvidia","index":0}]' >"$BATS_TEST_TMPDIR/events"
	assert_eq '["power_limit_w","core_lock_mhz","core_offset_mhz","fan"]' \
		"$(jq -cs '[.[] | select(.type == "oc_invalid") | .data.setting]' "$BATS_TEST_TMPDIR/events")"
	[[ $(cat "$RUNS") != *reboot* && $(cat "$RUNS") != *touch* ]]
}

@test "fan target mode is reported as not applied" {
	DISPLAY=:0 oc_apply '{"oc":{"nvidia":{"fan":{"mode":"target","target_temp_c":60}}}}' \
		'[{"vendor":"nvidia","index":0}]' >"$BATS_TEST_TMPDIR/events"
	assert_contains "$(jq -r 'select(.type == "oc_not_applied") | .message' "$BATS_TEST_TMPDIR/events")" 'fan mode "target"'
}

@test "AMD Polaris: manual level, s/m table lines, commit, fan — written to sysfs" {
	oc_apply "$CONFIG" '[{"vendor":"amd","index":0}]' >"$BATS_TEST_TMPDIR/events"
	dev="$OROS_SYSFS_ROOT/sys/class/drm/card0/device"
	hw="$dev/hwmon/hwmon2"
	expected=$(jq -cn --arg d "$dev" --arg h "$hw" '
	  ["amd_sysfs_write", "\($d)/power_dpm_force_performance_level", "manual"],
	  ["amd_sysfs_write", "\($d)/pp_od_clk_voltage", "s 7 1100 900"],
	  ["amd_sysfs_write", "\($d)/pp_od_clk_voltage", "m 1 2000 900"],
	  ["amd_sysfs_write", "\($d)/pp_od_clk_voltage", "c"],
	  ["amd_sysfs_write", "\($h)/pwm1_enable", "1"],
	  ["amd_sysfs_write", "\($h)/pwm1", "153"]')
	assert_eq "$expected" "$(cat "$RUNS")"
	assert_eq manual "$(cat "$dev/power_dpm_force_performance_level")"
	assert_eq 153 "$(cat "$hw/pwm1")"
	assert_eq 1 "$(cat "$hw/pwm1_enable")"
	assert_eq oc_applied "$(jq -r "select(.gpu == 0) | .type" "$BATS_TEST_TMPDIR/events")"
}

@test "AMD Navi: state 1 is the top state; explicit states win" {
	cfg='{"oc":{"amd":{"core_clock_mhz":2100,"mem_clock_mhz":1000},
	      "per_gpu":{"0":{"amd":{"core_state":5,"mem_state":0}}}}}'
	oc_apply "$cfg" '[{"vendor":"amd","index":0},{"vendor":"amd","index":1}]' >/dev/null
	assert_eq '"s 5 2100"
"m 0 1000"
"s 1 2100"
"m 1 1000"' "$(jq -c 'select(.[2] | test("^[sm] ")) | .[2]' "$RUNS")"
}

@test "AMD without overdrive: clocks not applied, fan still set" {
	rm "$OROS_SYSFS_ROOT/sys/class/drm/card0/device/pp_od_clk_voltage"
	oc_apply "$CONFIG" '[{"vendor":"amd","index":0}]' >"$BATS_TEST_TMPDIR/events"
	assert_contains "$(jq -r 'select(.type == "oc_not_applied") | .message' "$BATS_TEST_TMPDIR/events")" "overdrive is off"
	assert_eq 2 "$(wc -l <"$RUNS")"
}

@test "AMD with no clocks configured resets the table and goes back to auto" {
	oc_apply '{"oc":{"amd":{"fan":{"mode":"auto"}}}}' '[{"vendor":"amd","index":1}]' >/dev/null
	assert_eq '["r","c","auto","2"]' "$(jq -cs 'map(.[2])' "$RUNS")"
}

@test "a GPU missing from sysfs is an event, not a crash" {
	oc_apply "$CONFIG" '[{"vendor":"amd","index":5}]' >"$BATS_TEST_TMPDIR/events"
	assert_contains "$(cat "$BATS_TEST_TMPDIR/events")" "device not found in sysfs"
	assert_eq 0 "$(wc -l <"$RUNS")"
}
