#!/usr/bin/env bats
# Agent bundle: SHA-256 from the manifest checked before unpacking, atomic swap.

load helpers/common

setup() {
	oros_setup
	oros_source log http bundle
	WWW="$BATS_TEST_TMPDIR/www"
	SRC="$BATS_TEST_TMPDIR/src"
	mkdir -p "$WWW/api/rig/v1/bundle" "$SRC/bin"
	printf '#!/usr/bin/env bash\necho agent\n' >"$SRC/bin/oros-agent"
	chmod +x "$SRC/bin/oros-agent"
	echo 2.0.0 >"$SRC/VERSION"
	tar -czf "$BATS_TEST_TMPDIR/good.tar.gz" -C "$SRC" bin VERSION
	serve_bundle "$BATS_TEST_TMPDIR/good.tar.gz"
	fake_server_start http --root "$WWW"
	http_init "http://127.0.0.1:$FAKE_PORT"
	http_set_token orr_bundle_test_token
	DEST="$OROS_RUN_DIR/agent"
}

teardown() {
	fake_server_stop
}

# serve_bundle ARCHIVE [SHA] — the server's bundle and manifest (SHA: the archive's).
serve_bundle() {
	local sha=${2:-$(sha256sum "$1" | cut -d' ' -f1)}
	cp "$1" "$WWW/api/rig/v1/bundle/index"
	jq -cn --arg s "$sha" '{version: "2.0.0+x", sha256: $s, size: 1}' >"$WWW/api/rig/v1/bundle/manifest"
}

@test "installs a verified bundle, then finds it unchanged" {
	bundle_install "$DEST"
	[ -x "$DEST/bin/oros-agent" ]
	sha=$(sha256sum "$BATS_TEST_TMPDIR/good.tar.gz" | cut -d' ' -f1)
	assert_eq "$sha" "$(bundle_sha "$DEST")"
	assert_eq "2.0.0+${sha:0:12}" "$(bundle_version "$DEST")"
	run bundle_install "$DEST"
	[ "$status" -eq 3 ]
	assert_contains "$(cat "$FAKE_LOG")" '"authorization": "Bearer orr_bundle_test_token"'
}

@test "a bundle whose SHA-256 differs from the manifest is refused; the old one stays" {
	bundle_install "$DEST"
	echo tampered >>"$SRC/VERSION"
	tar -czf "$BATS_TEST_TMPDIR/bad.tar.gz" -C "$SRC" bin VERSION
	serve_bundle "$BATS_TEST_TMPDIR/bad.tar.gz" "$(printf 'ab%.0s' {1..32})"
	run bundle_install "$DEST"
	[ "$status" -eq 1 ]
	assert_contains "$output" "SHA-256 mismatch"
	assert_eq "2.0.0" "$(cat "$DEST/VERSION")"
	run find "$OROS_RUN_DIR" -maxdepth 1 -name '.bundle.*'
	assert_eq "" "$output"
}

@test "links and absolute or ../ names are refused even with a matching digest" {
	ln -s /etc/passwd "$SRC/bin/link"
	tar -czf "$BATS_TEST_TMPDIR/link.tar.gz" -C "$SRC" bin VERSION
	serve_bundle "$BATS_TEST_TMPDIR/link.tar.gz"
	run bundle_install "$DEST"
	[ "$status" -eq 1 ]
	assert_contains "$output" "refusing it"
	rm "$SRC/bin/link"
	tar -czf "$BATS_TEST_TMPDIR/dots.tar.gz" -C "$SRC" bin VERSION --transform 's|^bin|../bin|'
	serve_bundle "$BATS_TEST_TMPDIR/dots.tar.gz"
	run bundle_install "$DEST"
	[ "$status" -eq 1 ]
	[ ! -e "$DEST" ]
}

@test "an archive without bin/oros-agent is refused" {
	tar -czf "$BATS_TEST_TMPDIR/empty.tar.gz" -C "$SRC" VERSION
	serve_bundle "$BATS_TEST_TMPDIR/empty.tar.gz"
	run bundle_install "$DEST"
	[ "$status" -eq 1 ]
	[ ! -e "$DEST" ]
}

@test "no server: 1; a revoked token: 4" {
	echo 401 >"$WWW/api/rig/v1/bundle/manifest.status"
	run bundle_install "$DEST"
	[ "$status" -eq 4 ]
	fake_server_stop
	run bundle_install "$DEST"
	[ "$status" -eq 1 ]
}

@test "a local install without a bundle digest reports +local" {
	assert_eq "2.0.0+local" "$(bundle_version "$SRC")"
}
