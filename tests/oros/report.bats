#!/usr/bin/env bats
# Protocol bodies: hello, report, events — built by jq, within the protocol's ranges.

load helpers/common

setup() {
	oros_setup
	oros_source log evq nvidia sysinfo report
	GPUS=$(nv_parse <"$FIXTURES/nvidia-smi/three-gpus.csv")
	STATS='{"hashrate_hs":1.2e8,"shares":{"accepted":5,"rejected":1,"invalid":null},
	        "gpus":[{"index":0,"hashrate_hs":6e7},{"index":1,"hashrate_hs":6e7}],
	        "version":"0.26.8","algo":"ethash","uptime_s":60}'
	SYS='{"uptime_s":10,"cpu_load":0.5,"mem_free_mb":100,"disk_free_mb":null}'
}

@test "hello: inventory in protocol names, no nulls" {
	hello=$(report_hello_json "$GPUS" "1.0.0+abc")
	assert_json_eq '{"index":1,"vendor":"nvidia","model":"NVIDIA GeForce RTX 3080","bus_id":"0000:02:00.0","vram_mb":10240,"vbios":"94.02.42.40.B2","driver":"535.129.03"}' \
		"$(jq -c '.gpus[1]' <<<"$hello")"
	assert_eq 1.0.0+abc "$(jq -r .agent_version <<<"$hello")"
	run jq -e '[.. | nulls] | length == 0' <<<"$hello"
	[ "$status" -eq 0 ]
}

@test "report: per-GPU stats, miner, watchdog; nulls left out" {
	report=$(report_json "$GPUS" "$STATS" "$SYS" 9c1f trex true '{"restarts":2,"last_action":"restart_miner"}')
	assert_json_eq '{"index":0,"hashrate_hs":60000000,"temp_c":52,"fan_pct":65,"power_w":118.31,"core_clock_mhz":1095,"mem_clock_mhz":7500,"util_pct":100}' \
		"$(jq -c '.gpus[0]' <<<"$report")"
	assert_json_eq '{"index":2,"temp_c":55,"fan_pct":60,"power_w":75.12,"core_clock_mhz":1785,"mem_clock_mhz":7000,"util_pct":99}' \
		"$(jq -c '.gpus[2]' <<<"$report")"
	assert_json_eq '{"name":"trex","version":"0.26.8","algo":"ethash","running":true,"uptime_s":60,"hashrate_hs":120000000,"shares":{"accepted":5,"rejected":1}}' \
		"$(jq -c .miner <<<"$report")"
	assert_json_eq '{"miner_restarts":2,"last_action":"restart_miner"}' "$(jq -c .watchdog <<<"$report")"
	assert_eq 9c1f "$(jq -r .config_version <<<"$report")"
	run jq -e 'has("disk_free_mb")' <<<"$report"
	[ "$status" -ne 0 ]
}

@test "report: out-of-range sensor values become absent, lost GPUs are left out" {
	gpus=$(nv_parse <"$FIXTURES/nvidia-smi/gpu-lost.txt")
	gpus=$(jq -c '.[0].temp_c = 500 | .[0].fan_pct = -3' <<<"$gpus")
	report=$(report_json "$gpus" '{}' "$SYS" v "" false '{}')
	jq -e '.gpus | all(.index != null)' <<<"$report"
	jq -e '.gpus[0] | has("temp_c") or has("fan_pct") | not' <<<"$report"
	jq -e 'has("miner") | not' <<<"$report"
	assert_eq "$(jq '[.[] | select(.lost != true)] | length' <<<"$gpus")" "$(jq '.gpus | length' <<<"$report")"
}

@test "AMD cards are numbered after the NVIDIA cards" {
	gpus=$(jq -c '. + [{"vendor":"amd","index":0,"name":"RX 580","temp_c":60,"lost":false}]' <<<"$GPUS")
	report=$(report_json "$gpus" '{}' "$SYS" v "" false '{}')
	assert_eq "0 1 2 3" "$(jq -r '[.gpus[].index] | join(" ")' <<<"$report")"
}

@test "events: queue types map to protocol kinds; informative-only ones stay local" {
	q=$(jq -cs . <<<"$(
		evq_event miner_exited warning "miner trex exited" '{"exit_code":137,"log_tail":"last\nlines"}'
		evq_event miner_started info "miner trex started" '{"restarts":0}'
		evq_event miner_started info "miner trex started" '{"restarts":2}'
		evq_event oc_not_applied warning "GPU 1: fan not applied" '{}' 1
		evq_event watchdog_reboot critical "GPU lost" '{"lost_bus_ids":["0000:01:00.0"],"action":"reboot"}'
		evq_event watchdog_stop_miner critical "GPU 2 at 90" '{"max_temp_c":85,"action":"stop_miner"}' 2
		evq_event watchdog_start_miner info "cooled" '{"max_temp_c":85,"action":"start_miner"}'
		evq_event watchdog_restart_miner warning "low hashrate" '{"action":"restart_miner"}'
		evq_event events_dropped warning "queue full" '{"dropped":3}'
		evq_event config_applied info "config v applied" '{}'
	)")
	events=$(report_events_json "$q")
	assert_eq "miner_crashed miner_restarted oc_failed gpu_lost overheat overheat_resumed miner_restarted error config_applied" \
		"$(jq -r '[.[].kind] | join(" ")' <<<"$events")"
	assert_eq $'last\nlines' "$(jq -r '.[0].log_tail' <<<"$events")"
	assert_eq miner_exited "$(jq -r '.[0].data.type' <<<"$events")"
	assert_eq 2 "$(jq -r '.[4].gpu_index' <<<"$events")"
	jq -e 'all(.[]; (.data.event_id | length) > 0 and (.at | test("Z$")))' <<<"$events"
}
