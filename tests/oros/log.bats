#!/usr/bin/env bats
# Logging to stderr and the ramdisk file.

load helpers/common

setup() {
	oros_setup
	oros_source log
	log_init
}

@test "a log line goes to stderr and to the file" {
	run log_info "miner started"
	[[ $output =~ ^[0-9T:-]+Z\ INFO\ miner\ started$ ]]
	assert_contains "$(cat "$OROS_LOG_FILE")" "INFO miner started"
}

@test "levels below OROS_LOG_LEVEL are dropped" {
	OROS_LOG_LEVEL=warn log_info "quiet" 2>/dev/null
	OROS_LOG_LEVEL=warn log_warn "loud" 2>/dev/null
	run cat "$OROS_LOG_FILE"
	assert_contains "$output" "WARN loud"
	[[ $output != *quiet* ]]
}

@test "control characters cannot forge log lines" {
	log_error $'bad\nFAKE INFO line\e[31m' 2>/dev/null
	assert_eq 1 "$(wc -l <"$OROS_LOG_FILE")"
}

@test "the file is trimmed past its size limit" {
	export OROS_LOG_MAX_BYTES=2000
	for i in $(seq 100); do log_info "line $i with some padding text" 2>/dev/null; done
	size=$(stat -c %s "$OROS_LOG_FILE")
	((size <= 2000))
	assert_contains "$(tail -n 1 "$OROS_LOG_FILE")" "line 100"
}
