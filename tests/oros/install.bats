#!/usr/bin/env bats
# install.sh into a scratch root (OROS_INSTALL_ROOT), systemctl replaced by a recorder.

load helpers/common

setup() {
	oros_setup
	export OROS_INSTALL_ROOT="$BATS_TEST_TMPDIR/root"
	export OROS_SYSTEMCTL="$BATS_TEST_TMPDIR/systemctl"
	printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$*" >>"%s/systemctl.log"\n' "$BATS_TEST_TMPDIR" >"$OROS_SYSTEMCTL"
	chmod +x "$OROS_SYSTEMCTL"
	printf 'SERVER_URL=https://openrig.example.org\nENROLL_KEY=ore_abc\n' >"$BATS_TEST_TMPDIR/rig.conf"
}

@test "install: scripts, private rig.conf, unit; service enabled and started" {
	run "$OROS_ROOT/install.sh" "$BATS_TEST_TMPDIR/rig.conf"
	[ "$status" -eq 0 ]
	[ -x "$OROS_INSTALL_ROOT/opt/oros/bin/oros-boot" ]
	[ -x "$OROS_INSTALL_ROOT/opt/oros/bin/oros-agent" ]
	[ -f "$OROS_INSTALL_ROOT/opt/oros/miners/trex.sh" ]
	assert_eq 600 "$(stat -c %a "$OROS_INSTALL_ROOT/etc/oros/rig.conf")"
	cmp "$BATS_TEST_TMPDIR/rig.conf" "$OROS_INSTALL_ROOT/etc/oros/rig.conf"
	unit="$OROS_INSTALL_ROOT/etc/systemd/system/oros.service"
	grep -qx 'ExecStart=/opt/oros/bin/oros-boot' "$unit"
	grep -qx 'Environment=OROS_RUN_DIR=/run/oros' "$unit"
	grep -qx 'Environment=OROS_CONF=/etc/oros/rig.conf' "$unit"
	assert_eq "daemon-reload enable oros.service restart oros.service" \
		"$(paste -sd' ' "$BATS_TEST_TMPDIR/systemctl.log")"
}

@test "install refuses a rig.conf the agent would refuse, before touching anything" {
	printf 'SERVER_URL=ftp://nope\n' >"$BATS_TEST_TMPDIR/bad.conf"
	run "$OROS_ROOT/install.sh" "$BATS_TEST_TMPDIR/bad.conf"
	[ "$status" -eq 1 ]
	assert_contains "$output" "not a valid rig.conf"
	[ ! -e "$OROS_INSTALL_ROOT/opt/oros" ]
	run "$OROS_ROOT/install.sh" "$BATS_TEST_TMPDIR/missing.conf"
	[ "$status" -eq 1 ]
}

@test "uninstall keeps rig.conf; --purge removes it" {
	"$OROS_ROOT/install.sh" "$BATS_TEST_TMPDIR/rig.conf" >/dev/null
	run "$OROS_ROOT/install.sh" --uninstall
	[ "$status" -eq 0 ]
	[ ! -e "$OROS_INSTALL_ROOT/opt/oros" ]
	[ ! -e "$OROS_INSTALL_ROOT/etc/systemd/system/oros.service" ]
	[ -f "$OROS_INSTALL_ROOT/etc/oros/rig.conf" ]
	assert_contains "$(cat "$BATS_TEST_TMPDIR/systemctl.log")" "disable --now oros.service"
	"$OROS_ROOT/install.sh" --uninstall --purge >/dev/null
	[ ! -e "$OROS_INSTALL_ROOT/etc/oros" ]
}
