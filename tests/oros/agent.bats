#!/usr/bin/env bats
# Applying configs: OC only when .oc changed, the miner only when .miner changed.

load helpers/common

setup() {
	oros_setup
	oros_source log evq nvidia amd oc miner watchdog agent
	export NV_SMI="$HELPERS/fake-nvidia-smi" NV_FIXTURE="$FIXTURES/nvidia-smi/three-gpus.csv"
	export NV_ARGV_LOG="$BATS_TEST_TMPDIR/nv.log" OROS_SYSFS_ROOT="$BATS_TEST_TMPDIR/nosys"
	export OROS_MINER_BIN="$HELPERS/fake-miner" FAKE_MINER_MODE=run FAKE_MINER_ARGV="$BATS_TEST_TMPDIR/argv"
	# miner_install wants the release in place (no download_url in these configs).
	mkdir -p "$OROS_RUN_DIR/miners/custom/current"
	ln -s "$HELPERS/fake-miner" "$OROS_RUN_DIR/miners/custom/current/fake"
}

teardown() {
	miner_stop 2 2>/dev/null || true
}

config() { # config VERSION PL ARG
	jq -cn --arg v "$1" --argjson pl "$2" --arg arg "$3" \
		'{version: $v, oc: {nvidia: {power_limit_w: $pl}},
		  miner: {name: "custom", binary: "fake", extra_args: [$arg]}}'
}

pl_calls() { grep -c '"-pl"' "$NV_ARGV_LOG" 2>/dev/null || true; }

miner_pid() { cat "$OROS_RUN_DIR/miner/miner.pid" 2>/dev/null; }

wait_miner() {
	local i
	for ((i = 0; i < 50; i++)); do
		[[ -s $FAKE_MINER_ARGV && -n $(miner_pid) ]] && return 0
		sleep 0.1
	done
	return 1
}

@test "first config: OC then miner; the same config again: nothing" {
	agent_apply_config "$(config v1 120 --a)"
	wait_miner
	assert_eq 3 "$(pl_calls)"
	assert_eq "--a" "$(tr '\0' ' ' <"$FAKE_MINER_ARGV" | awk '{print $1}')"
	pid=$(miner_pid)
	agent_apply_config "$(config v1b 120 --a)"
	assert_eq 3 "$(pl_calls)"
	assert_eq "$pid" "$(miner_pid)"
	assert_json_eq "$(config v1b 120 --a)" "$(agent_config)"
}

@test "an OC-only change re-applies OC and leaves the miner running" {
	agent_apply_config "$(config v1 120 --a)"
	wait_miner
	pid=$(miner_pid)
	agent_apply_config "$(config v2 150 --a)"
	assert_eq 6 "$(pl_calls)"
	grep -q '"-pl","150"' "$NV_ARGV_LOG"
	assert_eq "$pid" "$(miner_pid)"
}

@test "a miner-only change restarts the miner and leaves OC alone" {
	agent_apply_config "$(config v1 120 --a)"
	wait_miner
	pid=$(miner_pid)
	rm -f "$FAKE_MINER_ARGV"
	agent_apply_config "$(config v2 120 '--b;$(reboot)')"
	wait_miner
	assert_eq 3 "$(pl_calls)"
	[ "$(miner_pid)" != "$pid" ]
	assert_eq '--b;$(reboot)' "$(tr '\0' '\n' <"$FAKE_MINER_ARGV" | sed -n 1p)"
}

@test "a config that is not a versioned object is refused and not kept" {
	run agent_apply_config '{"oc": {}}'
	[ "$status" -eq 1 ]
	run agent_apply_config 'not json'
	[ "$status" -eq 1 ]
	run agent_config
	[ "$status" -ne 0 ]
}

@test "stop_miner by a user sticks; ensure_miner respects it" {
	agent_apply_config "$(config v1 120 --a)"
	wait_miner
	agent_miner_stop 1
	! miner_running
	agent_ensure_miner
	! miner_running
	agent_miner_start
	miner_running
}

@test "the last good config survives in OROS_PERSIST_DIR" {
	export OROS_PERSIST_DIR="$BATS_TEST_TMPDIR/persist"
	agent_save_config "$(config v9 100 --x)"
	rm -rf "$OROS_RUN_DIR/state"
	assert_eq v9 "$(agent_load_saved_config | jq -r .version)"
}

@test "the miner lock: a stale lock of a dead process is taken over" {
	mkdir -p "$OROS_RUN_DIR/state/miner.lock"
	echo 999999 >"$OROS_RUN_DIR/state/miner.lock/pid"
	agent_lock
	assert_eq "$BASHPID" "$(cat "$OROS_RUN_DIR/state/miner.lock/pid")"
	agent_unlock
	[ ! -e "$OROS_RUN_DIR/state/miner.lock" ]
}
