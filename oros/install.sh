#!/usr/bin/env bash
# install.sh — run oros as a systemd service on an existing Ubuntu/Debian machine
# (for rigs that do not boot the oros USB image).
#
#   sudo ./install.sh [RIG_CONF]     install (RIG_CONF: rig.conf or enroll.conf from the
#                                    console; default ./rig.conf), enable and start
#   sudo ./install.sh --uninstall    stop, disable, remove scripts and unit
#                                    (/etc/oros/rig.conf and /var/lib/oros are kept;
#                                    add --purge to remove them too)
#
# Installs the scripts next to this file into /opt/oros, rig.conf into
# /etc/oros/rig.conf (0600), the unit into /etc/systemd/system/oros.service. Needs
# bash ≥ 4.4, curl, jq, coreutils, util-linux and systemd.
# Settings (tests): OROS_INSTALL_ROOT (install under this directory instead of /;
# systemctl is then only called when OROS_SYSTEMCTL is set).
set -euo pipefail

SRC=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=${OROS_INSTALL_ROOT:-}
PREFIX="$ROOT/opt/oros"
ETC="$ROOT/etc/oros"
UNIT="$ROOT/etc/systemd/system/oros.service"
STATE="$ROOT/var/lib/oros"

die() {
	printf 'install.sh: %s\n' "$*" >&2
	exit 1
}

systemctl_() {
	if [[ -n $ROOT ]]; then
		[[ -n ${OROS_SYSTEMCTL:-} ]] || return 0
		"$OROS_SYSTEMCTL" "$@"
	else
		systemctl "$@"
	fi
}

check_deps() {
	local tool
	((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4))) ||
		die "bash 4.4 or newer is needed"
	for tool in curl jq sha256sum tar timeout setsid mountpoint; do
		command -v "$tool" >/dev/null 2>&1 || die "missing '$tool' (apt-get install curl jq coreutils util-linux)"
	done
	[[ -n $ROOT ]] || command -v systemctl >/dev/null 2>&1 || die "systemd is needed"
}

install_oros() {
	local conf=${1:-./rig.conf} stage
	[[ -n $ROOT || $(id -u) == 0 ]] || die "run as root (sudo)"
	[[ -r $conf ]] || die "no rig.conf at '$conf' (download it from the console: rig → rig.conf, or the farm's enroll.conf)"
	check_deps
	# Refuse a file the agent would refuse, before touching anything.
	(
		# shellcheck source=oros/lib/conf.sh
		source "$SRC/lib/conf.sh"
		conf_load "$conf"
	) || die "'$conf' is not a valid rig.conf (see above)"
	[[ -x $SRC/bin/oros-boot && -x $SRC/bin/oros-agent ]] || die "run install.sh from an oros directory"
	mkdir -p -- "$(dirname -- "$PREFIX")" "$(dirname -- "$UNIT")" "$STATE"
	stage=$(mktemp -d -- "$(dirname -- "$PREFIX")/.oros.XXXXXX")
	cp -R -- "$SRC/bin" "$SRC/lib" "$SRC/miners" "$SRC/systemd" "$stage/"
	cp -- "$SRC/VERSION" "$SRC/install.sh" "$stage/"
	chmod 0755 "$stage" "$stage/bin/"* "$stage/install.sh"
	rm -rf -- "$PREFIX.old"
	[[ -e $PREFIX ]] && mv -- "$PREFIX" "$PREFIX.old"
	mv -- "$stage" "$PREFIX"
	rm -rf -- "$PREFIX.old"
	(umask 077 && mkdir -p -- "$ETC")
	install -m 0600 -- "$conf" "$ETC/rig.conf.new"
	mv -f -- "$ETC/rig.conf.new" "$ETC/rig.conf"
	chmod 0700 "$STATE"
	install -m 0644 -- "$SRC/systemd/oros.service" "$UNIT"
	systemctl_ daemon-reload
	systemctl_ enable oros.service
	systemctl_ restart oros.service
	printf 'oros installed: %s, config %s; logs: journalctl -u oros, /run/oros/log/oros.log\n' \
		"$PREFIX" "$ETC/rig.conf"
}

uninstall_oros() {
	local purge=${1:-}
	[[ -n $ROOT || $(id -u) == 0 ]] || die "run as root (sudo)"
	systemctl_ disable --now oros.service || true
	rm -f -- "$UNIT"
	systemctl_ daemon-reload || true
	rm -rf -- "$PREFIX"
	if [[ $purge == --purge ]]; then
		rm -rf -- "$ETC" "$STATE"
	fi
	printf 'oros removed%s\n' "$([[ $purge == --purge ]] && echo ', with its rig.conf and state' || true)"
}

main() {
	case ${1:-} in
	--uninstall) uninstall_oros "${2:-}" ;;
	-h | --help) sed -n '2,16p' "$0" ;;
	*) install_oros "${1:-./rig.conf}" ;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
