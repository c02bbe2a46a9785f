#!/usr/bin/env bats
# HTTP client: verified TLS, token kept off the command line, JSON from jq.

load helpers/common

setup() {
	oros_setup
	oros_source http
	ROOT="$BATS_TEST_TMPDIR/www"
	mkdir -p "$ROOT/api/rig/v1"
	echo '{"ok":true}' >"$ROOT/api/rig/v1/report"
	fake_server_start http --root "$ROOT"
	export HTTP_CURL="$HELPERS/fake-curl" CURL_ARGV_LOG="$BATS_TEST_TMPDIR/curl-argv"
	http_init "http://127.0.0.1:$FAKE_PORT/"
	http_set_token orr_SuperSecretToken123
	OUT="$BATS_TEST_TMPDIR/out.json"
}

teardown() {
	fake_server_stop
}

@test "POST sends the jq-built body and the bearer token" {
	body=$(jq -cn --arg hr '1; $(reboot)' '{hashrate: $hr}')
	http_request POST /api/rig/v1/report "$OUT" "$body"
	assert_eq 200 "$HTTP_STATUS"
	assert_json_eq '{"ok":true}' "$(cat "$OUT")"
	req=$(tail -n 1 "$FAKE_LOG")
	assert_eq "Bearer orr_SuperSecretToken123" "$(jq -r '.headers.authorization' <<<"$req")"
	assert_eq application/json "$(jq -r '.headers["content-type"]' <<<"$req")"
	assert_json_eq "$body" "$(jq -r .body <<<"$req")"
}

@test "the token never appears in curl's argv; its file is private" {
	http_request GET /api/rig/v1/report "$OUT"
	[[ $(cat "$CURL_ARGV_LOG") != *SuperSecret* ]]
	assert_contains "$(cat "$CURL_ARGV_LOG")" "\"-H\",\"@$HTTP_AUTH_FILE\""
	assert_eq 600 "$(stat -c %a "$HTTP_AUTH_FILE")"
}

@test "curl is never told to skip certificate checks; a CA file is passed on" {
	echo dummy >"$BATS_TEST_TMPDIR/ca.pem"
	http_init "http://127.0.0.1:$FAKE_PORT" "$BATS_TEST_TMPDIR/ca.pem"
	http_request GET /api/rig/v1/report "$OUT"
	argv=$(cat "$CURL_ARGV_LOG")
	[[ $argv != *'"-k"'* && $argv != *insecure* ]]
	assert_contains "$argv" "\"--cacert\",\"$BATS_TEST_TMPDIR/ca.pem\""
	assert_contains "$argv" '"--max-time","30"'
	assert_contains "$argv" '"--proto","=http,https"'
}

@test "TLS is verified: a self-signed server is refused unless its CA is given" {
	command -v openssl >/dev/null || skip "openssl not available"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$BATS_TEST_TMPDIR/key.pem" \
		-out "$BATS_TEST_TMPDIR/cert.pem" 2>/dev/null
	fake_server_stop
	fake_server_start https --root "$ROOT" --cert "$BATS_TEST_TMPDIR/cert.pem" \
		--key "$BATS_TEST_TMPDIR/key.pem"
	http_init "https://127.0.0.1:$FAKE_PORT"
	run http_request GET /api/rig/v1/report "$OUT"
	[ "$status" -eq 1 ]
	assert_contains "$output" "certificate"
	http_init "https://127.0.0.1:$FAKE_PORT" "$BATS_TEST_TMPDIR/cert.pem"
	http_request GET /api/rig/v1/report "$OUT"
	assert_eq 200 "$HTTP_STATUS"
	assert_json_eq '{"ok":true}' "$(cat "$OUT")"
}

@test "non-2xx answers return 2 with the status; no server returns 1" {
	echo 401 >"$ROOT/api/rig/v1/report.status"
	run http_request GET /api/rig/v1/report "$OUT"
	[ "$status" -eq 2 ]
	http_request GET /api/rig/v1/report "$OUT" || true
	assert_eq 401 "$HTTP_STATUS"
	http_init http://127.0.0.1:9
	HTTP_CONNECT_TIMEOUT=2 run http_request GET /x "$OUT"
	[ "$status" -eq 1 ]
}

@test "bad URLs, methods and tokens are refused before curl runs" {
	run http_init "ftp://a.example"
	[ "$status" -eq 1 ]
	run http_request TRACE /x "$OUT"
	[ "$status" -eq 1 ]
	run http_request GET $'/x\r\nX-Evil: 1' "$OUT"
	[ "$status" -eq 1 ]
	run http_set_token $'tok\nX-Evil: 1'
	[ "$status" -eq 1 ]
	[ ! -e "$CURL_ARGV_LOG" ]
}
