# shellcheck shell=bash
# custom.sh — any other miner: the executable (.miner.binary) and .miner.extra_args,
# nothing added (the user writes pools and worker into extra_args; the server has
# already put the rig name in place of {rig}). No stats reader: the core reports null
# stats for it.

# custom_argv CONFIG BINARY ARRAYNAME
custom_argv() {
	local -n _custom_out=$3
	miner_cfg_read "$1" || return 1
	_custom_out=("$2" "${MINER_EXTRA_ARGS[@]}")
}
