#!/usr/bin/env bats
# oros-boot steps: hardware id, enrollment (the only write to rig.conf), agent copy.

load helpers/common

setup() {
	oros_setup
	oros_source log conf http sysinfo boot
	WWW="$BATS_TEST_TMPDIR/www"
	mkdir -p "$WWW/api/rig/v1"
	fake_server_start http --root "$WWW"
	CONFF="$BATS_TEST_TMPDIR/rig.conf"
	printf 'SERVER_URL=http://127.0.0.1:%s\nENROLL_KEY=ore_farmkey_1\nCA_FILE=/etc/ssl/certs/ca-certificates.crt\n' \
		"$FAKE_PORT" >"$CONFF"
	conf_load "$CONFF"
	http_init "${CONF[SERVER_URL]}"
	export OROS_HARDWARE_ID=aa:bb:cc:dd:ee:ff
}

teardown() {
	fake_server_stop
}

@test "enrollment stores RIG_ID/RIG_TOKEN, drops ENROLL_KEY, keeps the rest" {
	echo '{"rig_id": "3b9e-11", "token": "orr_Xk2abcdefgh", "server_url": "https://elsewhere"}' \
		>"$WWW/api/rig/v1/enroll"
	boot_enroll "$CONFF"
	req=$(tail -n 1 "$FAKE_LOG")
	assert_eq POST "$(jq -r .method <<<"$req")"
	assert_json_eq "{\"enroll_key\":\"ore_farmkey_1\",\"hardware_id\":\"aa:bb:cc:dd:ee:ff\",\"hostname\":\"$(uname -n)\"}" \
		"$(jq -r .body <<<"$req")"
	conf_load "$CONFF"
	assert_eq 3b9e-11 "${CONF[RIG_ID]}"
	assert_eq orr_Xk2abcdefgh "${CONF[RIG_TOKEN]}"
	assert_eq "http://127.0.0.1:$FAKE_PORT" "${CONF[SERVER_URL]}" # not the answer's
	assert_eq /etc/ssl/certs/ca-certificates.crt "${CONF[CA_FILE]}"
	[ -z "${CONF[ENROLL_KEY]:-}" ]
	assert_eq 600 "$(stat -c %a "$CONFF")"
}

@test "a refused key returns 2 and leaves rig.conf alone" {
	echo '{"error":{"code":"invalid_enroll_key"}}' >"$WWW/api/rig/v1/enroll"
	echo 401 >"$WWW/api/rig/v1/enroll.status"
	before=$(cat "$CONFF")
	run boot_enroll "$CONFF"
	[ "$status" -eq 2 ]
	assert_contains "$output" "refused ENROLL_KEY"
	assert_eq "$before" "$(cat "$CONFF")"
	run boot_enroll_loop "$CONFF"
	[ "$status" -eq 2 ]
}

@test "server trouble or a malformed answer: try again later (1)" {
	echo 503 >"$WWW/api/rig/v1/enroll.status"
	echo '{}' >"$WWW/api/rig/v1/enroll"
	run boot_enroll "$CONFF"
	[ "$status" -eq 1 ]
	rm "$WWW/api/rig/v1/enroll.status"
	echo '{"rig_id": "$(reboot)", "token": "orr_x y"}' >"$WWW/api/rig/v1/enroll"
	run boot_enroll "$CONFF"
	[ "$status" -eq 1 ]
	assert_contains "$output" "no valid rig_id/token"
	grep -q ENROLL_KEY "$CONFF"
}

@test "a read-only rig.conf: enrolled in memory, the file untouched" {
	echo '{"rig_id": "r-1", "token": "orr_abcdefghij"}' >"$WWW/api/rig/v1/enroll"
	mkdir "$BATS_TEST_TMPDIR/ro"
	cp "$CONFF" "$BATS_TEST_TMPDIR/ro/rig.conf"
	chmod 0555 "$BATS_TEST_TMPDIR/ro"
	if [[ $(id -u) == 0 ]]; then
		skip "root writes into read-only directories"
	fi
	boot_enroll "$BATS_TEST_TMPDIR/ro/rig.conf"
	assert_eq r-1 "${CONF[RIG_ID]}"
	grep -q ENROLL_KEY "$BATS_TEST_TMPDIR/ro/rig.conf"
}

@test "the agent's copy of rig.conf is private, in the ramdisk" {
	CONF=([SERVER_URL]=https://a.example [RIG_ID]=r [RIG_TOKEN]=orr_t)
	boot_agent_conf
	assert_eq 600 "$(stat -c %a "$OROS_RUN_DIR/secrets/rig.conf")"
	assert_eq 700 "$(stat -c %a "$OROS_RUN_DIR/secrets")"
	conf_load "$OROS_RUN_DIR/secrets/rig.conf"
	assert_eq orr_t "${CONF[RIG_TOKEN]}"
}

@test "OROS_RAMDISK_MOUNT=no only creates the directory" {
	OROS_RUN_DIR="$BATS_TEST_TMPDIR/ram" OROS_RAMDISK_MOUNT=no boot_ramdisk
	[ -d "$BATS_TEST_TMPDIR/ram" ]
	run mountpoint -q "$BATS_TEST_TMPDIR/ram"
	[ "$status" -ne 0 ]
}
