#!/usr/bin/env bats
# NVIDIA inventory from recorded nvidia-smi output.

load helpers/common

setup() {
	oros_setup
	oros_source nvidia
	export NV_SMI="$HELPERS/fake-nvidia-smi" NV_ARGV_LOG="$BATS_TEST_TMPDIR/argv"
}

gpus() {
	NV_FIXTURE="$FIXTURES/nvidia-smi/$1" NV_FIXTURE_RC=${2:-0} nv_gpus_json
}

@test "nvidia-smi is asked for exactly the documented fields" {
	gpus three-gpus.csv >/dev/null
	assert_json_eq '["--query-gpu=index,pci.bus_id,name,vbios_version,driver_version,memory.total,temperature.gpu,temperature.memory,fan.speed,power.draw,power.limit,clocks.sm,clocks.mem,utilization.gpu","--format=csv,noheader,nounits"]' \
		"$(cat "$NV_ARGV_LOG")"
}

@test "three GPUs become three JSON records with numbers and nulls" {
	out=$(gpus three-gpus.csv)
	assert_eq 3 "$(jq length <<<"$out")"
	assert_json_eq '{"vendor":"nvidia","index":1,"bus_id":"0000:02:00.0","name":"NVIDIA GeForce RTX 3080","vbios":"94.02.42.40.B2","driver":"535.129.03","mem_total_mib":10240,"temp_c":60,"mem_temp_c":null,"fan_pct":75,"power_w":224.87,"power_limit_w":230,"core_mhz":1215,"mem_mhz":9751,"util_pct":100,"lost":false}' \
		"$(jq -c '.[1]' <<<"$out")"
	assert_eq "NVIDIA GeForce GTX 1660 SUPER" "$(jq -r '.[2].name' <<<"$out")"
}

@test "a lost GPU is reported as lost, the others still parse" {
	out=$(gpus gpu-lost.txt 15)
	assert_eq 3 "$(jq length <<<"$out")"
	assert_json_eq '[0,2]' "$(jq -c '[.[] | select(.lost | not) | .index]' <<<"$out")"
	assert_json_eq '{"vendor":"nvidia","index":null,"bus_id":"0000:02:00.0","lost":true}' \
		"$(jq -c '.[1] | del(.error)' <<<"$out")"
	assert_contains "$(jq -r '.[1].error' <<<"$out")" "GPU is lost"
}

@test "[Unknown Error] and [Not Supported] values become null" {
	out=$(gpus unknown-error.txt 255)
	assert_json_eq '{"lost":true,"bus_id":"0000:0a:00.0"}' "$(jq -c '.[0] | {lost, bus_id}' <<<"$out")"
	assert_json_eq '{"fan_pct":null,"power_w":null,"power_limit_w":130}' \
		"$(jq -c '.[1] | {fan_pct, power_w, power_limit_w}' <<<"$out")"
	out=$(gpus old-driver.csv)
	assert_json_eq '{"name":"GeForce GTX 1070","mem_temp_c":null,"util_pct":null,"temp_c":61}' \
		"$(jq -c '.[0] | {name, mem_temp_c, util_pct, temp_c}' <<<"$out")"
}

@test "no devices and no nvidia-smi both give an empty list" {
	out=$(gpus no-devices.txt 6)
	assert_eq "[]" "$out"
	NV_SMI=/nonexistent/nvidia-smi run nv_gpus_json
	assert_eq "[]" "$output"
}
