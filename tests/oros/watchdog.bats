#!/usr/bin/env bats
# Watchdog decisions: pure JSON in, JSON out.

load helpers/common

setup() {
	oros_setup
	oros_source evq watchdog
	WD='{"enabled":true,"min_hashrate_hs":100000000,"restart_after_min":5,
	     "reboot_after_restarts":2,"max_temp_c":80,"max_temp_action":"stop_miner",
	     "gpu_lost_action":"reboot"}'
	STATE=$(wd_init 2)
}

# sample HASHRATE TEMP0 TEMP1
sample() {
	jq -cn --argjson h "$1" --argjson t0 "${2:-60}" --argjson t1 "${3:-61}" \
		'{hashrate_hs: $h, gpus: [{index: 0, temp_c: $t0}, {index: 1, temp_c: $t1}]}'
}

# step SAMPLE NOW — run one decision, keep the state in STATE, the actions in ACTIONS.
step() {
	RESULT=$(wd_decide "$WD" "$STATE" "$1" "$2")
	STATE=$(jq -c .state <<<"$RESULT")
	ACTIONS=$(wd_actions "$RESULT" | paste -sd' ')
}

# check EXPECTED_ACTIONS SAMPLE NOW
check() {
	step "$2" "$3"
	assert_eq "$1" "$ACTIONS" "actions at t=$3"
}

@test "good hashrate: nothing to do" {
	check "" "$(sample 120000000)" 1000
	assert_eq null "$(jq .low_since <<<"$STATE")"
}

@test "low hashrate for restart_after_min → restart; after N restarts → reboot" {
	check "" "$(sample 1000)" 1000
	check "" "$(sample 1000)" 1299
	check "restart_miner" "$(sample 1000)" 1300
	check "" "$(sample null)" 1500
	check "restart_miner" "$(sample null)" 1600
	check "reboot" "$(sample 0)" 1900
}

@test "recovery resets the timer and the restart count" {
	step "$(sample 1000)" 1000
	check restart_miner "$(sample 1000)" 1300
	check "" "$(sample 150000000)" 1400
	assert_json_eq '{"low_since":null,"restarts":0}' "$(jq -c '{low_since, restarts}' <<<"$STATE")"
}

@test "min_hashrate_hs 0 disables the hashrate rule; enabled false disables all" {
	WD=$(jq -c '.min_hashrate_hs = 0' <<<"$WD")
	check "" "$(sample 0)" 1000
	check "" "$(sample 0)" 9000
	WD='{"enabled":false,"min_hashrate_hs":100,"max_temp_c":50}'
	check "" "$(sample 0 99 99)" 20000
}

@test "a GPU lost since boot → gpu_lost_action once" {
	lost='{"hashrate_hs":200000000,"gpus":[{"index":0,"temp_c":60},
	      {"index":null,"lost":true,"bus_id":"0000:02:00.0"}]}'
	check reboot "$lost" 1000
	assert_json_eq '["0000:02:00.0"]' "$(jq -c '.decisions[0].data.lost_bus_ids' <<<"$RESULT")"
	check "" "$lost" 1010
	# A GPU that vanished from the list counts as lost too.
	STATE=$(wd_init 3)
	check reboot "$(sample 200000000)" 1000
}

@test "a GPU already dead at boot does not cause a reboot loop" {
	STATE=$(wd_init 1)
	lost='{"hashrate_hs":200000000,"gpus":[{"index":0,"temp_c":60},{"index":null,"lost":true}]}'
	check "" "$lost" 1000
}

@test "over max_temp_c → max_temp_action; resume only 10 °C below" {
	check stop_miner "$(sample 0 60 82)" 1000
	assert_eq 1 "$(jq '.decisions[0].gpu' <<<"$RESULT")"
	check "" "$(sample 0 60 85)" 1010
	# Hashrate is 0 while stopped: no restart during the cool-down.
	check "" "$(sample 0 60 71)" 2000
	check start_miner "$(sample 0 60 70)" 2010
	assert_eq null "$(jq .overheat <<<"$STATE")"
}

@test "max_temp_action shutdown is passed through" {
	WD=$(jq -c '.max_temp_action = "shutdown"' <<<"$WD")
	check shutdown "$(sample 200000000 95 60)" 1000
}

@test "every decision becomes an event line" {
	step "$(sample 1000 90 60)" 1000
	ev=$(wd_events "$RESULT")
	assert_json_eq '{"type":"watchdog_stop_miner","severity":"critical","gpu":0,
	  "data":{"temp_c":90,"max_temp_c":80,"action":"stop_miner"}}' \
		"$(jq -c '{type, severity, gpu, data}' <<<"$ev")"
	assert_contains "$(jq -r .message <<<"$ev")" "GPU 0 at 90 °C"
}
