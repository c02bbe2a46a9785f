# shellcheck shell=bash
# Shared set-up for the oros bats tests: paths, a private ramdisk per test, jq check,
# small assertions, and the fake server.

OROS_ROOT=$(cd -- "$BATS_TEST_DIRNAME/../../oros" && pwd)
FIXTURES="$BATS_TEST_DIRNAME/fixtures"
HELPERS="$BATS_TEST_DIRNAME/helpers"
export OROS_ROOT FIXTURES HELPERS

# require_jq — jq is a hard dependency of oros; skip without it (fail in strict mode).
require_jq() {
	if ! command -v jq >/dev/null 2>&1; then
		if [[ ${OPENRIG_TEST_STRICT:-} == 1 ]]; then
			echo "jq is required in strict mode (OPENRIG_TEST_STRICT=1)" >&2
			return 1
		fi
		skip "jq not available"
	fi
}

# oros_setup — every test gets its own ramdisk and quiet logs.
oros_setup() {
	require_jq
	export OROS_RUN_DIR="$BATS_TEST_TMPDIR/run"
	export OROS_LOG_FILE="$OROS_RUN_DIR/log/oros.log"
	mkdir -p "$OROS_RUN_DIR/log"
}

# oros_source LIB... — source oros/lib/LIB.sh files.
oros_source() {
	local lib
	for lib in "$@"; do
		# shellcheck source=/dev/null
		source "$OROS_ROOT/lib/$lib.sh"
	done
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	if [[ $1 != "$2" ]]; then
		printf '%s\nexpected: %q\nactual:   %q\n' "${3:-values differ}" "$1" "$2" >&2
		return 1
	fi
}

# assert_json_eq EXPECTED ACTUAL — equal as JSON values (key order ignored).
assert_json_eq() {
	if ! jq -en --argjson a "$1" --argjson b "$2" '$a == $b' >/dev/null; then
		printf 'JSON differs\nexpected: %s\nactual:   %s\n' "$(jq -cS . <<<"$1")" "$(jq -cS . <<<"$2")" >&2
		return 1
	fi
}

# assert_contains HAYSTACK NEEDLE
assert_contains() {
	if [[ $1 != *"$2"* ]]; then
		printf 'expected to find %q in:\n%s\n' "$2" "$1" >&2
		return 1
	fi
}

# fake_server_start NAME ARGS... — start helpers/fake_server.py; sets FAKE_PORT,
# FAKE_PID, FAKE_LOG. Call fake_server_stop in teardown.
fake_server_start() {
	local dir="$BATS_TEST_TMPDIR/fake-$1" i
	shift
	mkdir -p "$dir"
	FAKE_LOG="$dir/requests.jsonl"
	: >"$FAKE_LOG"
	python3 "$HELPERS/fake_server.py" --log "$FAKE_LOG" --port-file "$dir/port" "$@" \
		>"$dir/out" 2>&1 3>&- &
	FAKE_PID=$!
	for ((i = 0; i < 100; i++)); do
		[[ -s $dir/port ]] && break
		sleep 0.05
	done
	FAKE_PORT=$(<"$dir/port")
	export FAKE_PORT FAKE_PID FAKE_LOG
}

fake_server_stop() {
	if [[ -n ${FAKE_PID:-} ]]; then
		kill "$FAKE_PID" 2>/dev/null || true
		wait "$FAKE_PID" 2>/dev/null || true
	fi
	FAKE_PID=''
	return 0
}
