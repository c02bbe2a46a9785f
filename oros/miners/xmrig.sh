# shellcheck shell=bash
# xmrig.sh — XMRig (CPU; its GPU back-ends too). Failover pools: repeated -o/-u/-p.
# API: HTTP /2/summary (read-only by default), bound with --http-host 127.0.0.1.
# Hashrates are per CPU thread there, so "gpus" stays empty.

xmrig_binary() { printf 'xmrig'; }

# xmrig_argv CONFIG BINARY ARRAYNAME
xmrig_argv() {
	local -n _xmrig_out=$3
	local i
	miner_cfg_read "$1" && miner_require_pools xmrig || return 1
	_xmrig_out=("$2")
	[[ -n $MINER_ALGO ]] && _xmrig_out+=(-a "$MINER_ALGO")
	for i in "${!MINER_POOL_URLS[@]}"; do
		_xmrig_out+=(-o "${MINER_POOL_URLS[i]}" -u "${MINER_POOL_USERS[i]}" -p "${MINER_POOL_PASSES[i]}")
	done
	_xmrig_out+=(--http-host 127.0.0.1 --http-port "$(miner_api_port 18088)" --no-color)
	_xmrig_out+=("${MINER_EXTRA_ARGS[@]}")
}

# xmrig_stats — /2/summary (older builds: /1/summary); hashrate.total = [10s, 60s, 15m].
xmrig_stats() {
	local answer
	answer=$(miner_api_get /2/summary 18088) || answer=$(miner_api_get /1/summary 18088) || return 1
	jq -c '
	  {hashrate_hs: ((.hashrate.total // []) | map(select(. != null)) | first // null),
	   shares: {accepted: (.results.shares_good // .connection.accepted // 0),
	            rejected: (.connection.rejected
	                       // ((.results.shares_total // 0) - (.results.shares_good // 0))),
	            invalid: 0},
	   gpus: [], version: .version, algo: (.algo // .connection.algo), uptime_s: .uptime}' <<<"$answer"
}
