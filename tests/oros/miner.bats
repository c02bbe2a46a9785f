#!/usr/bin/env bats
# Miner adapters: argv built from config JSON as arrays; hostile values stay literal.

load helpers/common

setup() {
	oros_setup
	oros_source log evq miner
	export OROS_MINER_BIN="$HELPERS/fake-miner"
	export FAKE_MINER_ARGV="$BATS_TEST_TMPDIR/argv"
	MARK="$BATS_TEST_TMPDIR/pwned"
}

teardown() {
	miner_stop 3 2>/dev/null || true
}

CONFIG='{"miner": {"name": "trex", "version": "0.26.8", "algo": "ethash",
  "pools": [{"url": "stratum+ssl://eu1.ethermine.org:5555", "user": "0xabc.rig7", "pass": "x"},
            {"url": "stratum+tcp://us1.ethermine.org:4444", "user": "0xabc.rig7"}],
  "extra_args": ["--intensity", "22", "--lhr-tune", "-1"]}}'

# argv_of NAME [CONFIG] — the built argv as a JSON array.
argv_of() {
	local -a argv=()
	miner_build_argv "$1" "${2:-$CONFIG}" argv || return 1
	jq -cn '$ARGS.positional' --args -- "${argv[@]}"
}

@test "T-Rex argv: algo, failover pools in order, local API, extra args last" {
	assert_json_eq "[\"$OROS_MINER_BIN\",\"--algo\",\"ethash\",
	  \"-o\",\"stratum+ssl://eu1.ethermine.org:5555\",\"-u\",\"0xabc.rig7\",\"-p\",\"x\",
	  \"-o\",\"stratum+tcp://us1.ethermine.org:4444\",\"-u\",\"0xabc.rig7\",\"-p\",\"x\",
	  \"--api-bind-http\",\"127.0.0.1:4067\",\"--api-bind-telnet\",\"0\",
	  \"--intensity\",\"22\",\"--lhr-tune\",\"-1\"]" "$(argv_of trex)"
}

@test "GMiner argv: host:port servers, --ssl 1 for TLS pools" {
	assert_json_eq "[\"$OROS_MINER_BIN\",\"--algo\",\"ethash\",
	  \"--server\",\"eu1.ethermine.org:5555\",\"--user\",\"0xabc.rig7\",\"--pass\",\"x\",\"--ssl\",\"1\",
	  \"--server\",\"us1.ethermine.org:4444\",\"--user\",\"0xabc.rig7\",\"--pass\",\"x\",
	  \"--api\",\"127.0.0.1:10050\",\"--intensity\",\"22\",\"--lhr-tune\",\"-1\"]" "$(argv_of gminer)"
}

@test "lolMiner, TeamRedMiner and XMRig argv" {
	assert_contains "$(argv_of lolminer)" '"--pool","stratum+ssl://eu1.ethermine.org:5555","--user","0xabc.rig7","--pass","x","--pool","stratum+tcp://us1.ethermine.org:4444"'
	assert_contains "$(argv_of lolminer)" '"--apihost","127.0.0.1","--apiport","4069"'
	assert_contains "$(argv_of teamredminer)" '"-a","ethash","-o","stratum+ssl://eu1.ethermine.org:5555","-u","0xabc.rig7","-p","x"'
	assert_contains "$(argv_of teamredminer)" '"--api_listen=127.0.0.1:4028"'
	assert_contains "$(argv_of xmrig)" '"--http-host","127.0.0.1","--http-port","18088"'
}

@test "custom argv is the binary and the extra args, nothing added" {
	assert_json_eq "[\"$OROS_MINER_BIN\",\"--intensity\",\"22\",\"--lhr-tune\",\"-1\"]" "$(argv_of custom)"
}

@test "the binary path comes from name, version and binary, and refuses escapes" {
	unset OROS_MINER_BIN
	export OROS_MINER_HOME=/opt/m
	miner_load trex
	assert_eq /opt/m/trex/0.26.8/t-rex "$(miner_binary trex "$CONFIG")"
	assert_eq /opt/m/trex/1/bin/x "$(miner_binary trex '{"miner":{"version":"1","binary":"bin/x"}}')"
	run miner_binary trex '{"miner":{"version":"1","binary":"../../bin/sh"}}'
	[ "$status" -eq 1 ]
	run miner_binary trex '{"miner":{"version":"1","binary":"/bin/sh"}}'
	[ "$status" -eq 1 ]
	run miner_binary trex '{"miner":{"version":"1/../..","binary":"x"}}'
	[ "$status" -eq 1 ]
}

@test "bad configs are refused: no pools, unknown adapter, objects as args, leading dashes" {
	run argv_of trex '{"miner":{"pools":[]}}'
	[ "$status" -ne 0 ]
	run argv_of nosuchminer
	[ "$status" -ne 0 ]
	run argv_of '../../etc/x'
	[ "$status" -ne 0 ]
	run argv_of trex '{"miner":{"pools":[{"url":"a:1"}],"extra_args":[{"x":1}]}}'
	[ "$status" -ne 0 ]
	run argv_of trex '{"miner":{"pools":[{"url":"a:1","user":"--api-bind-http=0.0.0.0:1"}]}}'
	[ "$status" -ne 0 ]
}

# The hostile strings: every shell metacharacter we can think of.
hostile_config() {
	jq -cn --arg m "$MARK" '{miner: {name: "trex", algo: "ethash",
	  pools: [{url: "stratum+tcp://pool.example:4444/$(touch \($m))",
	           user: "0xabc`touch \($m)`.rig7; touch \($m) && echo | cat",
	           pass: "x\nsecond line \"double\" '\''single'\'' * ~ $HOME ${IFS}"}],
	  extra_args: ["--flag=$(touch \($m))", "; touch \($m)", "&& touch \($m)", "| tee \($m)",
	               "*", "~", "~/x", "a b\tc", "line1\nline2", "\"quoted\"", "'\''single'\''",
	               "$((1+1))", "!!", "\\", ""]}}'
}

@test "HOSTILE: argv holds the literal strings, in memory and as the process sees it" {
	cfg=$(hostile_config)
	local -a expected_extra=()
	mapfile -d '' -t expected_extra < <(jq -j '.miner.extra_args[] | . + "\u0000"' <<<"$cfg")
	local -a built=()
	miner_build_argv trex "$cfg" built
	url=$(jq -r '.miner.pools[0].url' <<<"$cfg")
	user=$(jq -r '.miner.pools[0].user' <<<"$cfg")
	pass=$(jq -j '.miner.pools[0].pass' <<<"$cfg")
	assert_eq "$url" "${built[4]}" url
	assert_eq "$user" "${built[6]}" user
	assert_eq "$pass" "${built[8]}" pass
	assert_eq 15 "${#expected_extra[@]}"
	for i in "${!expected_extra[@]}"; do
		assert_eq "${expected_extra[i]}" "${built[13 + i]}" "extra arg $i"
	done

	# Now for real: the supervisor starts the fake miner, which writes its argv.
	miner_start trex "$cfg"
	for _ in $(seq 100); do [[ -s $FAKE_MINER_ARGV ]] && break; sleep 0.05; done
	miner_stop 3
	local -a seen=()
	mapfile -d '' -t seen <"$FAKE_MINER_ARGV"
	assert_eq "$((${#built[@]} - 1))" "${#seen[@]}" "argument count"
	for i in "${!seen[@]}"; do
		assert_eq "${built[i + 1]}" "${seen[i]}" "argv[$((i + 1))]"
	done
	[ ! -e "$MARK" ]
}

@test "HOSTILE: custom passes hostile extra args through unchanged too" {
	cfg=$(hostile_config)
	argv=$(argv_of custom "$cfg")
	assert_json_eq "$(jq -c --arg b "$OROS_MINER_BIN" '[$b] + .miner.extra_args' <<<"$cfg")" "$argv"
	[ ! -e "$MARK" ]
}

@test "back-off: 5, 10, 20, 40, then 60 s" {
	got=()
	for i in 0 1 2 3 4 5 9; do got+=("$(miner_backoff "$i")"); done
	assert_eq "5 10 20 40 60 60 60" "${got[*]}"
}

@test "supervisor: start, running, stop kills the miner's process group" {
	export FAKE_MINER_MODE=run
	miner_start trex "$CONFIG"
	for _ in $(seq 100); do [[ -s $FAKE_MINER_ARGV ]] && break; sleep 0.05; done
	miner_running
	pid=$(cat "$OROS_RUN_DIR/miner/miner.pid")
	kill -0 "$pid"
	run miner_start trex "$CONFIG"
	[ "$status" -eq 1 ]
	miner_stop 3
	! kill -0 "$pid" 2>/dev/null
	! miner_running
	assert_contains "$(cat "$(miner_log_file)")" "fake miner got TERM"
	types=$(cat "$OROS_RUN_DIR"/events/*.json | jq -r .type | paste -sd' ')
	assert_eq "miner_started miner_stopped" "$types"
}

@test "supervisor: a crash is an event with exit code and back-off; stop works while waiting" {
	export FAKE_MINER_RC=3
	miner_start trex "$CONFIG"
	for _ in $(seq 100); do
		ls "$OROS_RUN_DIR"/events/*.json >/dev/null 2>&1 &&
			grep -qs miner_exited "$OROS_RUN_DIR"/events/*.json && break
		sleep 0.05
	done
	ev=$(cat "$OROS_RUN_DIR"/events/*.json | jq -c 'select(.type == "miner_exited")')
	assert_json_eq '{"miner":"trex","exit_code":3,"restart_in_s":5}' \
		"$(jq -c '.data | {miner, exit_code, restart_in_s}' <<<"$ev")"
	assert_contains "$(jq -r .data.log_tail <<<"$ev")" "green line"
	start=$(date +%s)
	miner_stop 3
	(($(date +%s) - start < 3))
	! miner_running
}

@test "log tail strips colour codes" {
	mkdir -p "$OROS_RUN_DIR/miner"
	printf 'a\n\033[1;32mok\033[0m 62.0 MH/s\r\n' >"$(miner_log_file)"
	assert_eq $'a\nok 62.0 MH/s' "$(miner_log_tail 5)"
}

@test "an invalid config never starts a miner and says why" {
	miner_start trex '{"miner":{"pools":[]}}'
	for _ in $(seq 50); do miner_running || break; sleep 0.05; done
	! miner_running
	[ ! -e "$FAKE_MINER_ARGV" ]
	assert_contains "$(cat "$OROS_RUN_DIR"/events/*.json)" miner_config_invalid
}
