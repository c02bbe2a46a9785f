# shellcheck shell=bash
# watchdog.sh — the rig watchdog's decisions, as pure functions over JSON.
#
# The agent loop keeps a state document (in the ramdisk), takes a sample every tick
# and acts on the decisions; nothing here runs a command, so every rule is tested with
# plain JSON.
#
#   wd_init HEALTHY_GPU_COUNT          a fresh state (at boot, after OC and miner start)
#   wd_decide WATCHDOG STATE SAMPLE NOW
#       WATCHDOG: the config's .watchdog block
#       SAMPLE:   {"hashrate_hs": n|null, "gpus": [{"index","temp_c","lost"}, …]}
#       NOW:      epoch seconds
#     → {"state": {…}, "decisions": [{"action","reason","severity","gpu","data"}]}
#   wd_events RESULT                   one event JSON line per decision (evq_event)
#   wd_actions RESULT                  the actions, one per line
#
# Actions: restart_miner, reboot, shutdown, stop_miner, start_miner (resume after
# cooling down), notify. Rules:
#  - hashrate under min_hashrate_hs (or no hashrate) for restart_after_min minutes →
#    restart_miner; once reboot_after_restarts restarts did not help → reboot. Back at
#    or above the minimum → counters reset. min_hashrate_hs 0/absent disables this.
#  - fewer healthy GPUs than at boot (a GPU fell off the bus, "GPU is lost") →
#    gpu_lost_action, once. GPUs already lost at boot are not counted, so a dead card
#    cannot cause a reboot loop.
#  - a GPU at or over max_temp_c → max_temp_action (stop_miner | reboot | shutdown),
#    once; after stop_miner, start_miner when every GPU is 10 °C below the limit.
#    While overheated the hashrate rule is paused.

wd_init() {
	jq -cn --argjson n "${1:-0}" \
		'{boot_gpu_count: $n, low_since: null, restarts: 0, gpu_lost_reported: false,
		  overheat: null}'
}

# wd_decide WATCHDOG STATE SAMPLE NOW
wd_decide() {
	jq -cn --argjson wd "${1:-"{}"}" --argjson st "$2" --argjson s "$3" --argjson now "$4" '
	  def num($d): if type == "number" then . else $d end;
	  def decision($action; $severity; $reason; $gpu; $data):
	    {action: $action, severity: $severity, reason: $reason, gpu: $gpu, data: $data};
	  ($wd.enabled != false) as $on
	  | ($s.gpus // []) as $gpus
	  | ([$gpus[] | select(.lost != true and .index != null)]) as $healthy
	  | ([$healthy[] | select(.temp_c | type == "number")]) as $temps
	  | ($wd.max_temp_c | num(0)) as $max_t
	  | ($wd.min_hashrate_hs | num(0)) as $min_hs
	  | ($wd.restart_after_min | num(10)) as $after
	  | ($wd.reboot_after_restarts | num(3)) as $reboot_after
	  | {state: $st, decisions: []}
	  | if $on | not then .state.low_since = null else
	    # 1. a GPU lost since boot
	    (if ($healthy | length) < ($st.boot_gpu_count // 0) and ($st.gpu_lost_reported | not) then
	       .decisions += [decision($wd.gpu_lost_action // "notify"; "critical";
	         "GPU lost: \($healthy | length) of \($st.boot_gpu_count) GPUs answer";
	         ([$gpus[] | select(.lost == true) | .index] | first // null);
	         {healthy: ($healthy | length), at_boot: $st.boot_gpu_count,
	          lost_bus_ids: [$gpus[] | select(.lost == true) | .bus_id]})]
	       | .state.gpu_lost_reported = true
	     else . end)
	    # 2. temperature
	    | ($temps | max_by(.temp_c)) as $hot
	    | (if $max_t > 0 and $hot != null and $hot.temp_c >= $max_t and .state.overheat == null then
	         .decisions += [decision($wd.max_temp_action // "stop_miner"; "critical";
	           "GPU \($hot.index) at \($hot.temp_c) °C (limit \($max_t) °C)"; $hot.index;
	           {temp_c: $hot.temp_c, max_temp_c: $max_t})]
	         | .state.overheat = {since: $now, gpu: $hot.index,
	                              action: ($wd.max_temp_action // "stop_miner")}
	           | .state.low_since = null
	       elif .state.overheat != null and $hot != null and $hot.temp_c <= $max_t - 10
	            and .state.overheat.action == "stop_miner" then
	         .decisions += [decision("start_miner"; "info";
	           "GPUs cooled down to \($hot.temp_c) °C; resuming the miner"; $hot.index;
	           {temp_c: $hot.temp_c, max_temp_c: $max_t})]
	         | .state.overheat = null | .state.low_since = null
	       else . end)
	    # 3. hashrate
	    | (if .state.overheat != null or $min_hs <= 0 then .
	       elif ($s.hashrate_hs | type) == "number" and $s.hashrate_hs >= $min_hs then
	         .state.low_since = null | .state.restarts = 0
	       else
	         .state.low_since = (.state.low_since // $now)
	         | if $now - .state.low_since >= $after * 60 then
	             (if .state.restarts >= $reboot_after then
	                .decisions += [decision("reboot"; "critical";
	                  "hashrate still under \($min_hs) H/s after \(.state.restarts) miner restarts";
	                  null; {hashrate_hs: $s.hashrate_hs, restarts: .state.restarts})]
	                | .state.restarts = 0
	              else
	                .decisions += [decision("restart_miner"; "warning";
	                  "hashrate \($s.hashrate_hs // 0) H/s under \($min_hs) H/s for \($after) min";
	                  null; {hashrate_hs: $s.hashrate_hs, restarts: (.state.restarts + 1)})]
	                | .state.restarts += 1
	              end)
	             | .state.low_since = $now
	           else . end
	       end)
	  end'
}

# wd_events RESULT — turn decisions into queue events.
wd_events() {
	local d action severity reason gpu data
	while IFS= read -r d; do
		action=$(jq -r .action <<<"$d")
		severity=$(jq -r .severity <<<"$d")
		reason=$(jq -r .reason <<<"$d")
		gpu=$(jq -r '.gpu // ""' <<<"$d")
		data=$(jq -c '.data + {action: .action}' <<<"$d")
		evq_event "watchdog_$action" "$severity" "$reason" "$data" "$gpu"
	done < <(jq -c '.decisions[]' <<<"$1")
}

# wd_actions RESULT — one action per line.
wd_actions() {
	jq -r '.decisions[].action' <<<"$1"
}
