#!/usr/bin/env bats
# Miner downloads: https only, verified TLS, SHA-256 checked before unpacking.

load helpers/common

setup() {
	oros_setup
	command -v openssl >/dev/null || skip "openssl not available"
	oros_source log evq miner
	export OROS_MINER_HOME="$BATS_TEST_TMPDIR/miners"
	ROOT="$BATS_TEST_TMPDIR/www"
	mkdir -p "$ROOT" "$BATS_TEST_TMPDIR/pkg/t-rex-0.26.8"
	printf '#!/bin/sh\necho t-rex\n' >"$BATS_TEST_TMPDIR/pkg/t-rex-0.26.8/t-rex"
	chmod +x "$BATS_TEST_TMPDIR/pkg/t-rex-0.26.8/t-rex"
	tar -czf "$ROOT/t-rex.tar.gz" -C "$BATS_TEST_TMPDIR/pkg" t-rex-0.26.8
	SHA=$(sha256sum "$ROOT/t-rex.tar.gz" | cut -d' ' -f1)
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$BATS_TEST_TMPDIR/key.pem" \
		-out "$BATS_TEST_TMPDIR/cert.pem" 2>/dev/null
	fake_server_start https --root "$ROOT" --cert "$BATS_TEST_TMPDIR/cert.pem" \
		--key "$BATS_TEST_TMPDIR/key.pem"
	export OROS_DOWNLOAD_CA_FILE="$BATS_TEST_TMPDIR/cert.pem"
}

teardown() {
	fake_server_stop
}

config() {
	jq -cn --arg u "$1" --arg s "$2" '{miner: {name: "trex", version: "0.26.8",
	  binary: "t-rex-0.26.8/t-rex", download_url: $u, download_sha256: $s,
	  pools: [{url: "stratum+tcp://a:1"}]}}'
}

@test "a release with the right checksum is unpacked in place, once" {
	cfg=$(config "https://127.0.0.1:$FAKE_PORT/t-rex.tar.gz" "$SHA")
	miner_install trex "$cfg"
	bin="$OROS_MINER_HOME/trex/0.26.8/t-rex-0.26.8/t-rex"
	assert_eq t-rex "$("$bin")"
	miner_install trex "$cfg"
	assert_eq 1 "$(grep -c 'GET /t-rex.tar.gz' <(jq -r '.method + " " + .path' "$FAKE_LOG"))"
}

@test "a wrong checksum is refused and nothing is installed" {
	cfg=$(config "https://127.0.0.1:$FAKE_PORT/t-rex.tar.gz" "$(printf '0%.0s' {1..64})")
	run miner_install trex "$cfg"
	[ "$status" -eq 1 ]
	assert_contains "$output" "SHA-256 mismatch"
	[ ! -e "$OROS_MINER_HOME/trex/0.26.8" ]
}

@test "http:// URLs, missing checksums and unknown CAs are refused" {
	run miner_install trex "$(config "http://127.0.0.1:$FAKE_PORT/t-rex.tar.gz" "$SHA")"
	[ "$status" -eq 1 ]
	run miner_install trex "$(config "https://127.0.0.1:$FAKE_PORT/t-rex.tar.gz" "")"
	[ "$status" -eq 1 ]
	unset OROS_DOWNLOAD_CA_FILE
	run miner_install trex "$(config "https://127.0.0.1:$FAKE_PORT/t-rex.tar.gz" "$SHA")"
	[ "$status" -eq 1 ]
	[ ! -e "$OROS_MINER_HOME/trex/0.26.8" ]
}
