#!/usr/bin/env bats
# Stats readers against recorded miner API answers, served by a tiny fake server.

load helpers/common

setup() {
	oros_setup
	oros_source log evq miner
	ROOT="$BATS_TEST_TMPDIR/www"
	mkdir -p "$ROOT/2"
}

teardown() {
	fake_server_stop
}

# serve FIXTURE PATH — serve one fixture at PATH and point the adapters at it.
serve() {
	cp "$FIXTURES/miners/$1" "$ROOT/$2"
	fake_server_start http --root "$ROOT"
	export OROS_MINER_API_PORT=$FAKE_PORT
}

@test "T-Rex /summary" {
	serve trex-summary.json summary
	assert_json_eq '{"hashrate_hs":123852470,"shares":{"accepted":1532,"rejected":3,"invalid":1},
	  "gpus":[{"index":0,"hashrate_hs":61998150},{"index":1,"hashrate_hs":61854320}],
	  "version":"0.26.8","algo":"ethash","uptime_s":23055}' "$(miner_stats trex)"
	assert_eq /summary "$(jq -r .path "$FAKE_LOG")"
}

@test "GMiner /stat" {
	serve gminer-stat.json stat
	assert_json_eq '{"hashrate_hs":120571000,"shares":{"accepted":259,"rejected":1,"invalid":0},
	  "gpus":[{"index":0,"hashrate_hs":60451000},{"index":1,"hashrate_hs":60120000}],
	  "version":"2.75","algo":"Ethash","uptime_s":8123}' "$(miner_stats gminer)"
}

@test "lolMiner / (Mh/s scaled by Performance_Factor)" {
	serve lolminer.json index
	assert_json_eq '{"hashrate_hs":120400000,"shares":{"accepted":140,"rejected":1,"invalid":0},
	  "gpus":[{"index":0,"hashrate_hs":60100000},{"index":1,"hashrate_hs":60300000}],
	  "version":"1.52","algo":"Ethash","uptime_s":4380}' "$(miner_stats lolminer)"
}

@test "XMRig /2/summary" {
	serve xmrig-summary.json 2/summary
	assert_json_eq '{"hashrate_hs":14015.2,"shares":{"accepted":421,"rejected":2,"invalid":0},
	  "gpus":[],"version":"6.20.0","algo":"rx/0","uptime_s":3612}' "$(miner_stats xmrig)"
}

@test "XMRig falls back to /1/summary" {
	mkdir -p "$ROOT/1"
	serve xmrig-summary.json 1/summary
	assert_eq 14015.2 "$(miner_stats xmrig | jq .hashrate_hs)"
}

@test "TeamRedMiner: summary+devs over the sgminer TCP API (KH/s → H/s)" {
	fake_server_start tcp --tcp-reply "$FIXTURES/miners/teamredminer-summary-devs.json"
	export OROS_MINER_API_PORT=$FAKE_PORT
	assert_json_eq '{"hashrate_hs":58320540,"shares":{"accepted":188,"rejected":2,"invalid":1},
	  "gpus":[{"index":0,"hashrate_hs":29160200},{"index":1,"hashrate_hs":29160300}],
	  "version":"0.10.2","algo":null,"uptime_s":5400}' "$(miner_stats teamredminer)"
	assert_eq '{"command":"summary+devs"}' "$(jq -r .tcp "$FAKE_LOG")"
}

@test "a miner whose API does not answer gives null stats and status 1" {
	export OROS_MINER_API_PORT=9 OROS_MINER_API_TIMEOUT=2
	run miner_stats trex
	[ "$status" -eq 1 ]
	assert_json_eq '{"hashrate_hs":null,"shares":{"accepted":null,"rejected":null,"invalid":null},
	  "gpus":[],"version":null,"algo":null,"uptime_s":null}' "$output"
}

@test "an adapter without a stats function (custom) gives null stats" {
	run miner_stats custom
	[ "$status" -eq 1 ]
	assert_eq null "$(jq .hashrate_hs <<<"$output")"
}
