# shellcheck shell=bash
# miner-supervise.sh — run the miner in the background and keep it running.
# Part of miner.sh (same miner_ prefix); sourced by it.
#
#   miner_start NAME CONFIG   start the supervisor in the background (returns at once)
#   miner_stop [TIMEOUT]      stop supervisor and miner (TERM, then KILL after TIMEOUT s)
#   miner_running             is a supervisor alive?
#   miner_supervise NAME CONFIG   the supervisor loop itself (foreground)
#
# The miner runs in its own session (setsid) with its output in the ramdisk log, so
# stopping kills its whole process group. When it exits on its own it is restarted
# after 5 s, 10 s, 20 s, 40 s, then every 60 s; a run of OROS_MINER_STABLE_S (300 s)
# resets the back-off. Each start and exit is an event in the queue.

_MINER_CHILD=''
_MINER_STOPPING=0

_miner_event() {
	declare -F evq_push >/dev/null || return 0
	evq_push "$(evq_event "$@")" || true
}

# _miner_kill_group PID SIGNAL — signal the miner's process group (fallback: the pid).
_miner_kill_group() {
	kill "-$2" -- "-$1" 2>/dev/null || kill "-$2" "$1" 2>/dev/null || true
}

# _miner_on_term — supervisor's TERM/INT handler: stop the child, then exit the loop.
_miner_on_term() {
	_MINER_STOPPING=1
	[[ -n $_MINER_CHILD ]] && _miner_kill_group "$_MINER_CHILD" TERM
}

# _miner_reap PID TIMEOUT — wait for PID to end; KILL its group after TIMEOUT seconds.
_miner_reap() {
	local pid=$1 timeout=$2 i
	for ((i = 0; i < timeout * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		_miner_kill_group "$pid" KILL
	fi
	wait "$pid" 2>/dev/null || true
}

# miner_supervise NAME CONFIG
miner_supervise() {
	local name=$1 config=$2 dir log attempt=0 started ran rc delay data
	local -a argv=()
	dir=$(miner_run_dir)
	log=$(miner_log_file)
	mkdir -p -- "$dir" || return 1
	_MINER_STOPPING=0
	trap _miner_on_term TERM INT
	if ! miner_build_argv "$name" "$config" argv; then
		_miner_event miner_config_invalid critical "miner $name: cannot build its command line" \
			"$(jq -cn --arg m "$name" '{miner: $m}')"
		return 1
	fi
	while ((!_MINER_STOPPING)); do
		started=$(date +%s)
		printf '%s oros: starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$log"
		CUDA_DEVICE_ORDER=PCI_BUS_ID setsid "${argv[@]}" </dev/null >>"$log" 2>&1 &
		_MINER_CHILD=$!
		printf '%s\n' "$_MINER_CHILD" >"$dir/miner.pid"
		_miner_event miner_started info "miner $name started" \
			"$(jq -cn --arg m "$name" --argjson pid "$_MINER_CHILD" --argjson attempt "$attempt" \
				'{miner: $m, pid: $pid, restarts: $attempt}')"
		# wait returns early (>128) when a trapped signal arrives; wait again while the
		# miner lives (bash keeps an exited child's status for the next wait).
		while :; do
			rc=0
			wait "$_MINER_CHILD" || rc=$?
			((_MINER_STOPPING)) && break
			kill -0 "$_MINER_CHILD" 2>/dev/null || break
		done
		if ((_MINER_STOPPING)); then
			_miner_reap "$_MINER_CHILD" "${OROS_MINER_STOP_TIMEOUT:-15}"
			break
		fi
		ran=$(($(date +%s) - started))
		((ran >= ${OROS_MINER_STABLE_S:-300})) && attempt=0
		delay=$(miner_backoff "$attempt")
		attempt=$((attempt + 1))
		data=$(jq -cn --arg m "$name" --argjson rc "$rc" --argjson ran "$ran" --argjson d "$delay" \
			--arg tail "$(miner_log_tail 10)" \
			'{miner: $m, exit_code: $rc, ran_s: $ran, restart_in_s: $d, log_tail: $tail}')
		_miner_event miner_exited warning "miner $name exited (code $rc) after ${ran}s; restarting in ${delay}s" "$data"
		sleep "$delay" &
		wait $! || kill "$!" 2>/dev/null || true
	done
	rm -f -- "$dir/miner.pid"
	_miner_event miner_stopped info "miner $name stopped" "$(jq -cn --arg m "$name" '{miner: $m}')"
	return 0
}

# miner_start NAME CONFIG — supervisor in the background; its pid in supervisor.pid.
miner_start() {
	local dir
	dir=$(miner_run_dir)
	mkdir -p -- "$dir" || return 1
	if miner_running; then
		log_warn "miner: already running; stop it first"
		return 1
	fi
	miner_supervise "$1" "$2" </dev/null &
	printf '%s\n' "$!" >"$dir/supervisor.pid"
}

# miner_running — is the supervisor alive?
miner_running() {
	local pid
	pid=$(cat -- "$(miner_run_dir)/supervisor.pid" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# miner_stop [TIMEOUT] — TERM the supervisor (which TERMs the miner's group), wait,
# then KILL whatever is left.
miner_stop() {
	local timeout=${1:-${OROS_MINER_STOP_TIMEOUT:-15}} dir sup child i
	dir=$(miner_run_dir)
	sup=$(cat -- "$dir/supervisor.pid" 2>/dev/null) || sup=''
	child=$(cat -- "$dir/miner.pid" 2>/dev/null) || child=''
	if [[ $sup =~ ^[0-9]+$ ]] && kill -0 "$sup" 2>/dev/null; then
		kill -TERM "$sup" 2>/dev/null || true
		for ((i = 0; i < (timeout + 5) * 10; i++)); do
			kill -0 "$sup" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$sup" 2>/dev/null && kill -KILL "$sup" 2>/dev/null
	fi
	if [[ $child =~ ^[0-9]+$ ]] && kill -0 "$child" 2>/dev/null; then
		_miner_kill_group "$child" KILL
	fi
	rm -f -- "$dir/supervisor.pid" "$dir/miner.pid"
	return 0
}
