# shellcheck shell=bash
# log.sh — human-readable logging to stderr and to a file in the ramdisk.
#
# Sourced library (no `set -e` here). Functions: log_init, log_debug, log_info,
# log_warn, log_error, log_die. Machine-readable records are events (evq.sh), not logs.
#
# Settings (environment):
#   OROS_RUN_DIR    ramdisk root                          (default /run/oros)
#   OROS_LOG_FILE   log file                              (default $OROS_RUN_DIR/log/oros.log)
#   OROS_LOG_LEVEL  debug | info | warn | error           (default info)
#   OROS_LOG_MAX_BYTES  trim the file past this size      (default 2 MiB)

# log_init — create the log directory; safe to call more than once.
log_init() {
	: "${OROS_RUN_DIR:=/run/oros}"
	: "${OROS_LOG_FILE:=${OROS_RUN_DIR}/log/oros.log}"
	mkdir -p -- "${OROS_LOG_FILE%/*}" 2>/dev/null || return 0
}

# _log_level_num LEVEL — numeric rank of a level name.
_log_level_num() {
	case $1 in
	debug) echo 10 ;;
	info) echo 20 ;;
	warn) echo 30 ;;
	*) echo 40 ;;
	esac
}

# _log LEVEL MESSAGE... — one line "2024-01-02T03:04:05Z LEVEL message".
_log() {
	local level=$1 line
	shift
	if (($(_log_level_num "$level") < $(_log_level_num "${OROS_LOG_LEVEL:-info}"))); then
		return 0
	fi
	# Control characters (a newline from a miner, an escape sequence) would forge lines.
	line="$(date -u +%Y-%m-%dT%H:%M:%SZ) ${level^^} $*"
	line=${line//[[:cntrl:]]/?}
	printf '%s\n' "$line" >&2
	if [[ -n ${OROS_LOG_FILE:-} ]]; then
		printf '%s\n' "$line" >>"$OROS_LOG_FILE" 2>/dev/null || true
		_log_trim
	fi
	return 0
}

# _log_trim — keep the ramdisk log bounded: past the limit, keep its second half.
_log_trim() {
	local max=${OROS_LOG_MAX_BYTES:-2097152} size
	size=$(stat -c %s -- "$OROS_LOG_FILE" 2>/dev/null) || return 0
	((size > max)) || return 0
	tail -c "$((max / 2))" -- "$OROS_LOG_FILE" >"$OROS_LOG_FILE.trim" 2>/dev/null &&
		mv -f -- "$OROS_LOG_FILE.trim" "$OROS_LOG_FILE"
	return 0
}

log_debug() { _log debug "$@"; }
log_info() { _log info "$@"; }
log_warn() { _log warn "$@"; }
log_error() { _log error "$@"; }

# log_die MESSAGE... — for executables only: log an error and exit 1.
log_die() {
	_log error "$@"
	exit 1
}
