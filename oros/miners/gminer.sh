# shellcheck shell=bash
# gminer.sh — GMiner (NVIDIA and AMD). Pools: repeated --server/--user/--pass (failover);
# a stratum+ssl:// URL becomes --server host:port --ssl 1. API: HTTP /stat. GMiner's
# readme documents `--api PORT`; `--api 127.0.0.1:PORT` keeps it off the network.

gminer_binary() { printf 'miner'; }

# _gminer_ssl URL — does the pool URL ask for TLS?
_gminer_ssl() {
	case $1 in
	stratum+ssl://* | stratum+tls://* | ssl://*) return 0 ;;
	*) return 1 ;;
	esac
}

# gminer_argv CONFIG BINARY ARRAYNAME
gminer_argv() {
	local -n _gminer_out=$3
	local i server
	miner_cfg_read "$1" && miner_require_pools gminer || return 1
	_gminer_out=("$2")
	[[ -n $MINER_ALGO ]] && _gminer_out+=(--algo "$MINER_ALGO")
	for i in "${!MINER_POOL_URLS[@]}"; do
		server=${MINER_POOL_URLS[i]#*://}
		_gminer_out+=(--server "$server" --user "${MINER_POOL_USERS[i]}" --pass "${MINER_POOL_PASSES[i]}")
		_gminer_ssl "${MINER_POOL_URLS[i]}" && _gminer_out+=(--ssl 1)
	done
	_gminer_out+=(--api "127.0.0.1:$(miner_api_port 10050)")
	_gminer_out+=("${MINER_EXTRA_ARGS[@]}")
}

# gminer_stats — /stat: device speeds in H/s (speed_unit is honoured when present).
gminer_stats() {
	miner_api_get /stat 10050 | jq -c '
	  def factor: (.speed_unit // "H/s" | ascii_downcase
	    | if startswith("g") then 1000000000 elif startswith("m") then 1000000
	      elif startswith("k") then 1000 else 1 end);
	  factor as $f
	  | ((.devices // []) | map({index: .gpu_id, hashrate_hs: ((.speed // 0) * $f)})) as $gpus
	  | {hashrate_hs: ([$gpus[].hashrate_hs] | add // 0),
	     shares: {accepted: (.total_accepted_shares // ([.devices[]?.accepted_shares] | add) // 0),
	              rejected: (.total_rejected_shares // ([.devices[]?.rejected_shares] | add) // 0),
	              invalid: (.total_invalid_shares // ([.devices[]?.invalid_shares] | add) // 0)},
	     gpus: $gpus,
	     version: ((.miner // "") | (first(capture("(?<v>[0-9][0-9.]*)") | .v) // null)),
	     algo: .algorithm, uptime_s: .uptime}'
}
