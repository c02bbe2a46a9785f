#!/usr/bin/env bats
# rig.conf: strict parsing, literal values, atomic writes.

load helpers/common

setup() {
	oros_setup
	oros_source conf
	MARK="$BATS_TEST_TMPDIR/pwned"
}

write_conf() {
	printf '%s\n' "$@" >"$BATS_TEST_TMPDIR/rig.conf"
}

@test "an enrolled rig.conf loads" {
	conf_load "$FIXTURES/rig.conf/enrolled.conf"
	assert_eq https://openrig.example.org "${CONF[SERVER_URL]}"
	assert_eq 0b7d7d1e-5c1b-4a8e-9a57-2f5d6c1e8a40 "${CONF[RIG_ID]}"
	assert_eq orr_kT4qS9zX2mV7pL1wR8yB3nC6hJ5dF0gA "${CONF[RIG_TOKEN]}"
	conf_enrolled
}

@test "CRLF line ends and one pair of quotes are tolerated" {
	conf_load "$FIXTURES/rig.conf/crlf-enroll.conf"
	assert_eq http://192.168.1.10:8000 "${CONF[SERVER_URL]}"
	assert_eq ore_Zx81Qw "${CONF[ENROLL_KEY]}"
	run conf_enrolled
	[ "$status" -ne 0 ]
}

@test "hostile values stay literal text and run nothing" {
	write_conf "SERVER_URL=https://h.example/\$(touch $MARK)" \
		"RIG_ID=\`touch $MARK\`; rm -rf ~ && echo * | cat" \
		"RIG_TOKEN='\$(touch $MARK)'\""
	conf_parse "$BATS_TEST_TMPDIR/rig.conf"
	assert_eq "https://h.example/\$(touch $MARK)" "${CONF[SERVER_URL]}"
	assert_eq "\`touch $MARK\`; rm -rf ~ && echo * | cat" "${CONF[RIG_ID]}"
	assert_eq "'\$(touch $MARK)'\"" "${CONF[RIG_TOKEN]}"
	# A URL with a space in it is no URL: validation refuses it.
	run conf_validate
	[ "$status" -eq 1 ]
	[ ! -e "$MARK" ]
}

@test "the hostile fixture round-trips through the writer unchanged" {
	conf_parse "$FIXTURES/rig.conf/hostile.conf"
	declare -A before=()
	local k
	for k in "${!CONF[@]}"; do before[$k]=${CONF[$k]}; done
	conf_write_atomic "$BATS_TEST_TMPDIR/out.conf"
	conf_parse "$BATS_TEST_TMPDIR/out.conf"
	for k in "${!before[@]}"; do assert_eq "${before[$k]}" "${CONF[$k]}" "$k"; done
	[ ! -e /tmp/oros-pwned ]
}

@test "quoted values keep inner quotes when written back" {
	CONF=([SERVER_URL]=https://a.example [ENROLL_KEY]="'quoted'")
	conf_write_atomic "$BATS_TEST_TMPDIR/q.conf"
	conf_load "$BATS_TEST_TMPDIR/q.conf"
	assert_eq "'quoted'" "${CONF[ENROLL_KEY]}"
}

@test "an unknown key is refused, naming the line" {
	write_conf "SERVER_URL=https://a.example" "# comment" "" "MINER=trex"
	run conf_load "$BATS_TEST_TMPDIR/rig.conf"
	[ "$status" -eq 1 ]
	assert_contains "$output" "rig.conf:4: unknown key 'MINER'"
}

@test "malformed lines are refused" {
	local bad
	for bad in "SERVER_URL = https://a.example" "export SERVER_URL=https://a" \
		"server_url=https://a.example" "1KEY=x" "SERVER_URL"; do
		write_conf "$bad"
		run conf_load "$BATS_TEST_TMPDIR/rig.conf"
		[ "$status" -eq 1 ]
		assert_contains "$output" "rig.conf:1:"
	done
}

@test "duplicate keys are refused" {
	write_conf "SERVER_URL=https://a.example" "SERVER_URL=https://b.example"
	run conf_load "$BATS_TEST_TMPDIR/rig.conf"
	[ "$status" -eq 1 ]
	assert_contains "$output" "rig.conf:2: duplicate key 'SERVER_URL'"
}

@test "SERVER_URL must be http(s)" {
	local url
	for url in ftp://a.example file:///etc/passwd "https://" "https://a b" ""; do
		write_conf "SERVER_URL=$url" "ENROLL_KEY=ore_x"
		run conf_load "$BATS_TEST_TMPDIR/rig.conf"
		[ "$status" -eq 1 ]
		assert_contains "$output" "SERVER_URL"
	done
}

@test "credentials: RIG_ID with RIG_TOKEN, or ENROLL_KEY" {
	write_conf "SERVER_URL=https://a.example" "RIG_ID=r1"
	run conf_load "$BATS_TEST_TMPDIR/rig.conf"
	[ "$status" -eq 1 ]
	assert_contains "$output" "RIG_ID and RIG_TOKEN go together"
	write_conf "SERVER_URL=https://a.example"
	run conf_load "$BATS_TEST_TMPDIR/rig.conf"
	[ "$status" -eq 1 ]
	assert_contains "$output" "either RIG_ID and RIG_TOKEN, or ENROLL_KEY"
}

@test "a missing file is an error" {
	run conf_load "$BATS_TEST_TMPDIR/nope.conf"
	[ "$status" -eq 1 ]
	assert_contains "$output" "cannot read"
}

@test "conf_write_atomic replaces the file whole, private, without leftovers" {
	write_conf "SERVER_URL=https://a.example" "ENROLL_KEY=ore_abc"
	conf_load "$BATS_TEST_TMPDIR/rig.conf"
	unset 'CONF[ENROLL_KEY]'
	CONF[RIG_ID]=r-42
	CONF[RIG_TOKEN]=orr_secret
	conf_write_atomic "$BATS_TEST_TMPDIR/rig.conf"
	conf_load "$BATS_TEST_TMPDIR/rig.conf"
	assert_eq r-42 "${CONF[RIG_ID]}"
	assert_eq orr_secret "${CONF[RIG_TOKEN]}"
	[ -z "${CONF[ENROLL_KEY]:-}" ]
	assert_eq 600 "$(stat -c %a "$BATS_TEST_TMPDIR/rig.conf")"
	run find "$BATS_TEST_TMPDIR" -maxdepth 1 -name '.rig.conf.*'
	assert_eq "" "$output"
}

@test "conf_write_atomic refuses values it could not read back" {
	CONF=([SERVER_URL]=https://a.example [RIG_ID]=$'a\nB=1' [RIG_TOKEN]=t)
	run conf_write_atomic "$BATS_TEST_TMPDIR/rig.conf"
	[ "$status" -eq 1 ]
	[ ! -e "$BATS_TEST_TMPDIR/rig.conf" ]
}

@test "CA_FILE: optional, relative to rig.conf's directory, kept by the writer" {
	write_conf "SERVER_URL=https://a.example" "RIG_ID=r1" "RIG_TOKEN=orr_t" "CA_FILE=ca.pem"
	conf_load "$BATS_TEST_TMPDIR/rig.conf"
	assert_eq "$BATS_TEST_TMPDIR/ca.pem" "$(conf_ca_file "$BATS_TEST_TMPDIR/rig.conf")"
	conf_write_atomic "$BATS_TEST_TMPDIR/rig.conf"
	conf_load "$BATS_TEST_TMPDIR/rig.conf"
	assert_eq ca.pem "${CONF[CA_FILE]}"
	CONF[CA_FILE]=/etc/ssl/private-ca.pem
	assert_eq /etc/ssl/private-ca.pem "$(conf_ca_file "$BATS_TEST_TMPDIR/rig.conf")"
	unset 'CONF[CA_FILE]'
	assert_eq "" "$(conf_ca_file "$BATS_TEST_TMPDIR/rig.conf")"
}
