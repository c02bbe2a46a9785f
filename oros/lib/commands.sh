# shellcheck shell=bash
# commands.sh — run the server's commands: long-poll, at-least-once, results.
#
#   cmd_poll_loop            park GET /commands/wait?timeout=N, run what arrives, repeat
#                            (back-off 2 s … 60 s on errors; ends after a 401)
#   cmd_handle COMMAND_JSON  run one command unless its id was seen before (then the
#                            stored result is sent again); never twice at once
#   cmd_result ID STATUS [EXIT_CODE [OUTPUT]]   POST /commands/ID/result (3 tries)
#
# Commands: reboot, shutdown (OROS_REBOOT_CMD / OROS_SHUTDOWN_CMD, default
# `systemctl reboot` / `systemctl poweroff`, split on spaces — local settings, never
# server data), restart_miner, stop_miner, start_miner, apply_oc, upgrade_agent, exec
# (only when the current config says exec_allowed; `bash -c` is its purpose; output
# tail ≤ 64 KiB; OROS_EXEC_TIMEOUT, default 300 s). Settings: OROS_LONGPOLL_S (25).
# Needs agent.sh, report.sh, bundle.sh, evq.sh, http.sh, log.sh.

CMD_OUTPUT_MAX=65536

_cmd_dir() {
	printf '%s/commands' "$(agent_state_dir)"
}

# cmd_result ID STATUS [EXIT_CODE [OUTPUT]]
cmd_result() {
	local id=$1 status=$2 code=${3:-} output=${4:-} body out i
	body=$(jq -cn --arg s "$status" --arg c "$code" --arg o "$output" \
		'{status: $s} + (if $c == "" then {} else {exit_code: ($c | tonumber)} end)
		 + (if $s == "started" then {} else {output: $o} end)')
	out=$(mktemp) || return 1
	for i in 1 2 3; do
		if http_request POST "/api/rig/v1/commands/$id/result" "$out" "$body"; then
			rm -f -- "$out"
			return 0
		fi
		[[ $HTTP_STATUS == 401 ]] && agent_unauthorized
		[[ $HTTP_STATUS == 4?? ]] && break
		sleep "$i"
	done
	rm -f -- "$out"
	log_warn "commands: could not send the $status result of $id (HTTP $HTTP_STATUS)"
	return 1
}

# _cmd_finish ID STATUS CODE OUTPUT — keep the result (for a repeated delivery), send it.
_cmd_finish() {
	local dir
	dir="$(_cmd_dir)/$1"
	jq -cn --arg s "$2" --arg c "$3" --arg o "$4" '{status: $s, code: $c, output: $o}' \
		>"$dir/result.json" 2>/dev/null || true
	cmd_result "$1" "$2" "$3" "$4"
}

# cmd_power WHAT [REASON] — reboot | shutdown through the configured local command.
# With a REASON, a rig_rebooting / rig_shutdown event is queued (and sent if it can be)
# first; the watchdog passes none, it queued its own.
cmd_power() {
	local what=$1 reason=${2:-} cmdline kind out rc=0
	local -a argv=()
	if [[ $what == reboot ]]; then
		cmdline=${OROS_REBOOT_CMD:-systemctl reboot} kind=rig_rebooting
	else
		cmdline=${OROS_SHUTDOWN_CMD:-systemctl poweroff} kind=rig_shutdown
	fi
	read -ra argv <<<"$cmdline"
	[[ -n $reason ]] && evq_push "$(evq_event "$kind" warning "$reason")"
	evq_drain_batch report_send_events 100 || true
	log_warn "$what: running ${argv[*]}"
	out=$("${argv[@]}" 2>&1) || rc=$?
	CMD_CODE=$rc CMD_OUT=$out
	((rc == 0))
}

# _cmd_exec COMMAND — the one place where a string from the server runs in a shell.
_cmd_exec() {
	local line=$1 tmp rc=0
	if ! jq -e '.exec_allowed == true' <<<"$(agent_config)" >/dev/null 2>&1; then
		CMD_CODE=126 CMD_OUT="exec is not allowed by this rig's config (exec_allowed)"
		return 1
	fi
	tmp=$(mktemp) || return 1
	log_warn "commands: exec: $line"
	timeout --kill-after=5 "${OROS_EXEC_TIMEOUT:-300}" bash -c "$line" </dev/null >"$tmp" 2>&1 || rc=$?
	CMD_CODE=$rc
	CMD_OUT=$(tail -c "$CMD_OUTPUT_MAX" -- "$tmp" | tr -d '\000')
	((rc == 124)) && CMD_OUT+=$'\n'"[oros: timed out after ${OROS_EXEC_TIMEOUT:-300} s]"
	rm -f -- "$tmp"
	((rc == 0))
}

_cmd_upgrade() {
	local rc=0 home="${OROS_RUN_DIR:-/run/oros}/agent"
	bundle_install "$home" || rc=$?
	case $rc in
	0)
		CMD_CODE=0 CMD_OUT="agent upgraded to $(bundle_version "$home"); restarting it"
		: >"$(agent_state_dir)/upgraded"
		;;
	3) CMD_CODE=0 CMD_OUT="agent already at $(bundle_version "$home")" ;;
	*) CMD_CODE=1 CMD_OUT="agent bundle download or check failed" ;;
	esac
	((CMD_CODE == 0))
}

# _cmd_run TYPE ARGS_JSON — sets CMD_CODE and CMD_OUT; 0 = succeeded.
_cmd_run() {
	local type=$1 args=$2 line
	CMD_CODE=0 CMD_OUT=''
	case $type in
	reboot | shutdown) cmd_power "$type" "$type requested from the server" ;;
	restart_miner) agent_miner_restart && CMD_OUT="miner restarted" ;;
	stop_miner) agent_miner_stop 1 && CMD_OUT="miner stopped" ;;
	start_miner) agent_miner_start && CMD_OUT="miner started" ;;
	apply_oc)
		agent_apply_oc && CMD_OUT="overclock applied (problems, if any, are in the events)"
		;;
	upgrade_agent) _cmd_upgrade ;;
	exec)
		line=$(jq -j '.command // "" | strings' <<<"$args" 2>/dev/null) || line=''
		if [[ -z $line ]]; then
			CMD_CODE=2 CMD_OUT="exec needs args.command"
			return 1
		fi
		_cmd_exec "$line"
		;;
	*)
		CMD_CODE=2 CMD_OUT="unknown command type: $type"
		return 1
		;;
	esac
	local rc=$?
	((rc != 0 && CMD_CODE == 0)) && CMD_CODE=1
	return "$rc"
}

cmd_handle() {
	local json=$1 id type args dir prev
	id=$(jq -r '.id // "" | strings' <<<"$json" 2>/dev/null) || return 1
	type=$(jq -r '.type // "" | strings' <<<"$json")
	args=$(jq -c '.args // {}' <<<"$json")
	if [[ ! $id =~ ^[A-Za-z0-9-]{1,64}$ ]]; then
		log_warn "commands: ignoring a command with a bad id"
		return 1
	fi
	dir="$(_cmd_dir)/$id"
	mkdir -p -- "$(_cmd_dir)"
	if ! mkdir -- "$dir" 2>/dev/null; then
		# Seen before (at-least-once delivery): never run again; resend a kept result.
		prev=$(cat -- "$dir/result.json" 2>/dev/null) || return 0
		cmd_result "$id" "$(jq -r .status <<<"$prev")" "$(jq -r .code <<<"$prev")" \
			"$(jq -r .output <<<"$prev")"
		return 0
	fi
	log_info "commands: $type ($id)"
	cmd_result "$id" started || true
	if _cmd_run "$type" "$args"; then
		_cmd_finish "$id" succeeded "$CMD_CODE" "$CMD_OUT"
	else
		_cmd_finish "$id" failed "$CMD_CODE" "$CMD_OUT"
	fi
	if [[ $type == upgrade_agent && -e "$(agent_state_dir)/upgraded" ]]; then
		agent_request_restart
	fi
	return 0
}

# cmd_handle_list JSON_WITH_COMMANDS — each command in the background (one slow exec
# must not hold the others back).
cmd_handle_list() {
	local c
	while IFS= read -r c; do
		[[ -n $c ]] && cmd_handle "$c" &
	done < <(jq -c '(.commands // [])[] | select(type == "object")' <<<"$1" 2>/dev/null)
	return 0
}

# _cmd_prune — forget command ids older than a day.
_cmd_prune() {
	find "$(_cmd_dir)" -mindepth 1 -maxdepth 1 -type d -mmin +1440 -exec rm -rf -- {} + 2>/dev/null || true
}

cmd_poll_loop() {
	local out delay=2 n=${OROS_LONGPOLL_S:-25} rc
	out=$(mktemp) || return 1
	while [[ ! -e "$(agent_state_dir)/unauthorized" ]]; do
		rc=0
		HTTP_MAX_TIME=$((n + 15)) http_request GET "/api/rig/v1/commands/wait?timeout=$n" "$out" || rc=$?
		if ((rc == 0)); then
			delay=2
			[[ $HTTP_STATUS == 200 ]] && cmd_handle_list "$(cat -- "$out")"
			_cmd_prune
			continue
		fi
		if [[ $HTTP_STATUS == 401 ]]; then
			agent_unauthorized
			break
		fi
		sleep "$delay"
		delay=$((delay * 2 > 60 ? 60 : delay * 2))
	done
	rm -f -- "$out"
}
