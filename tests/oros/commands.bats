#!/usr/bin/env bats
# Commands: at-least-once delivery without running twice, exec rules, power fakes.

load helpers/common

setup() {
	oros_setup
	oros_source log http evq nvidia amd oc miner watchdog sysinfo bundle agent report commands
	WWW="$BATS_TEST_TMPDIR/www"
	mkdir -p "$WWW/api/rig/v1/commands/c-1" "$WWW/api/rig/v1/commands/c-2" "$WWW/api/rig/v1/commands/c-3"
	for c in c-1 c-2 c-3; do echo '{"applied":true}' >"$WWW/api/rig/v1/commands/$c/result"; done
	echo '{"stored":1}' >"$WWW/api/rig/v1/events"
	fake_server_start http --root "$WWW"
	http_init "http://127.0.0.1:$FAKE_PORT"
	http_set_token orr_commands_test
	export OROS_REBOOT_CMD="$BATS_TEST_TMPDIR/fake-power reboot now"
	printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$*" >>"%s/power.log"\n' "$BATS_TEST_TMPDIR" \
		>"$BATS_TEST_TMPDIR/fake-power"
	chmod +x "$BATS_TEST_TMPDIR/fake-power"
	MARK="$BATS_TEST_TMPDIR/pwned"
}

teardown() {
	fake_server_stop
}

results() { # results ID — the statuses posted for command ID, in order
	jq -r --arg p "/api/rig/v1/commands/$1/result" 'select(.path == $p) | .body | fromjson | .status' "$FAKE_LOG" |
		paste -sd' '
}

allow_exec() {
	agent_save_config "{\"version\":\"v\",\"exec_allowed\":$1}"
}

@test "reboot: started, the local command with its own argv, then succeeded" {
	cmd_handle '{"id":"c-1","type":"reboot","args":{}}'
	assert_eq "reboot now" "$(cat "$BATS_TEST_TMPDIR/power.log")"
	assert_eq "started succeeded" "$(results c-1)"
	assert_contains "$(cat "$FAKE_LOG")" '"path": "/api/rig/v1/events"'
	assert_contains "$(jq -r 'select(.path == "/api/rig/v1/events") | .body' "$FAKE_LOG")" '"kind":"rig_rebooting"'
}

@test "a repeated delivery never runs again; the kept result is sent again" {
	cmd_handle '{"id":"c-1","type":"reboot","args":{}}'
	cmd_handle '{"id":"c-1","type":"reboot","args":{}}'
	assert_eq 1 "$(wc -l <"$BATS_TEST_TMPDIR/power.log")"
	assert_eq "started succeeded succeeded" "$(results c-1)"
}

@test "exec: refused unless the config allows it" {
	allow_exec false
	cmd_handle "{\"id\":\"c-2\",\"type\":\"exec\",\"args\":{\"command\":\"touch $MARK\"}}"
	[ ! -e "$MARK" ]
	assert_eq "started failed" "$(results c-2)"
	body=$(jq -r 'select(.path | endswith("c-2/result")) | .body' "$FAKE_LOG" | tail -n 1)
	assert_eq 126 "$(jq -r .exit_code <<<"$body")"
	assert_contains "$(jq -r .output <<<"$body")" "exec_allowed"
}

@test "exec: allowed, runs with bash -c; exit code and output tail (≤ 64 KiB) reported" {
	allow_exec true
	cmd_handle '{"id":"c-2","type":"exec","args":{"command":"head -c 70000 /dev/zero | tr \"\\\\0\" x; echo; echo done; exit 3"}}'
	body=$(jq -r 'select(.path | endswith("c-2/result")) | .body' "$FAKE_LOG" | tail -n 1)
	assert_eq failed "$(jq -r .status <<<"$body")"
	assert_eq 3 "$(jq -r .exit_code <<<"$body")"
	out=$(jq -r .output <<<"$body")
	jq -e '.output | length > 65000 and length <= 65536' <<<"$body"
	assert_contains "${out: -5}" "done"
}

@test "exec: a command running too long is stopped and reported (124)" {
	allow_exec true
	OROS_EXEC_TIMEOUT=1 cmd_handle '{"id":"c-3","type":"exec","args":{"command":"sleep 30"}}'
	body=$(jq -r 'select(.path | endswith("c-3/result")) | .body' "$FAKE_LOG" | tail -n 1)
	assert_eq 124 "$(jq -r .exit_code <<<"$body")"
	assert_contains "$(jq -r .output <<<"$body")" "timed out"
}

@test "unknown types fail; bad ids are ignored" {
	cmd_handle '{"id":"c-3","type":"self_destruct","args":{}}'
	assert_eq "started failed" "$(results c-3)"
	run cmd_handle '{"id":"../../etc","type":"reboot"}'
	[ "$status" -eq 1 ]
	[ ! -e "$BATS_TEST_TMPDIR/power.log" ]
}

@test "a 401 on a result stops the agent talking" {
	echo 401 >"$WWW/api/rig/v1/commands/c-3/result.status"
	cmd_result c-3 started || true
	[ -e "$OROS_RUN_DIR/state/unauthorized" ]
	cmd_poll_loop # returns at once: the agent no longer talks
	run grep -c commands/wait "$FAKE_LOG"
	assert_eq 0 "$output"
}

@test "the long-poll runs commands it receives" {
	echo '{"commands":[{"id":"c-1","type":"reboot","args":{}}]}' >"$WWW/api/rig/v1/commands/wait"
	OROS_LONGPOLL_S=1 cmd_poll_loop &
	poller=$!
	for ((i = 0; i < 50; i++)); do
		[[ -s $BATS_TEST_TMPDIR/power.log ]] && break
		sleep 0.1
	done
	kill "$poller"
	assert_eq "reboot now" "$(head -n 1 "$BATS_TEST_TMPDIR/power.log")"
	assert_contains "$(cat "$FAKE_LOG")" '"/api/rig/v1/commands/wait?timeout=1"'
	assert_eq 1 "$(wc -l <"$BATS_TEST_TMPDIR/power.log")" # served again and again: run once
}
