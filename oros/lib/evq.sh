# shellcheck shell=bash
# evq.sh — the rig's event queue, kept in the ramdisk until the server has it.
#
# One JSON event per file in $OROS_RUN_DIR/events, named so that names sort oldest
# first. A file appears atomically (written aside, then renamed), so a reader never
# sees half an event and no lock is needed. Delivery is at least once: an event leaves
# the queue only after the sender said it was accepted; each event carries an `id` so
# the server can drop duplicates.
#
#   evq_event TYPE SEVERITY MESSAGE [DATA_JSON [GPU]]   print one event (JSON line)
#   evq_push [EVENT_JSON]       queue one event, or every JSON line on stdin
#   evq_drain CALLBACK          CALLBACK EVENT_JSON for each, oldest first; stop on failure
#   evq_drain_batch CALLBACK MAX   CALLBACK JSON_ARRAY (up to MAX oldest); all or nothing
#   evq_count
#
# Settings: OROS_RUN_DIR (default /run/oros), OROS_EVQ_MAX (default 2000 events; past
# it the oldest are dropped and one `events_dropped` event says how many).

_evq_dir() {
	printf '%s/events' "${OROS_RUN_DIR:-/run/oros}"
}

_EVQ_SEQ=0

# evq_event TYPE SEVERITY MESSAGE [DATA_JSON [GPU]] — build an event with jq only.
# SEVERITY: info | warning | critical. GPU: an index, or empty.
evq_event() {
	local type=$1 severity=$2 message=$3 data=${4:-} gpu=${5:-} id
	[[ -n $data ]] || data='{}'
	id=$(cat /proc/sys/kernel/random/uuid 2>/dev/null) || id="$$-$RANDOM-$RANDOM"
	jq -cn --arg id "$id" --arg ts "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg type "$type" \
		--arg severity "$severity" --arg message "$message" --argjson data "$data" \
		--arg gpu "$gpu" \
		'{id: $id, ts: $ts, type: $type, severity: $severity, message: $message,
		  gpu: (if $gpu == "" then null else ($gpu | tonumber? // $gpu) end), data: $data}'
}

# _evq_write JSON — store one (already compact, valid) event.
_evq_write() {
	local dir name
	dir=$(_evq_dir)
	mkdir -p -- "$dir" || return 1
	_EVQ_SEQ=$((_EVQ_SEQ + 1))
	name=$(printf '%s-%06d-%06d' "$(date +%s%N)" "$$" "$_EVQ_SEQ")
	printf '%s\n' "$1" >"$dir/.$name.tmp" && mv -f -- "$dir/.$name.tmp" "$dir/$name.json"
}

# evq_push [EVENT_JSON] — queue one event (argument) or each line of stdin.
# A line that is not a JSON object is refused (returns 1) but the others are queued.
evq_push() {
	if (($#)); then
		printf '%s\n' "$1" | _evq_push_lines
	else
		_evq_push_lines
	fi
}

_evq_push_lines() {
	local line compact rc=0
	while IFS= read -r line || [[ -n $line ]]; do
		[[ -n $line ]] || continue
		if ! compact=$(jq -ce 'select(type == "object")' <<<"$line" 2>/dev/null) ||
			[[ -z $compact || $compact == *$'\n'* ]]; then
			rc=1
			continue
		fi
		_evq_write "$compact" || rc=1
	done
	_evq_trim
	return "$rc"
}

# _evq_files — queued event files, oldest first, one per line.
_evq_files() {
	local dir
	dir=$(_evq_dir)
	[[ -d $dir ]] || return 0
	find "$dir" -maxdepth 1 -type f -name '*.json' -printf '%p\n' | LC_ALL=C sort
}

evq_count() {
	_evq_files | wc -l
}

# _evq_trim — enforce OROS_EVQ_MAX by dropping the oldest events.
_evq_trim() {
	local max=${OROS_EVQ_MAX:-2000} count drop
	count=$(evq_count)
	((count > max)) || return 0
	drop=$((count - max + 1))
	_evq_files | head -n "$drop" | while IFS= read -r f; do rm -f -- "$f"; done
	_evq_write "$(evq_event events_dropped warning \
		"event queue full: dropped $drop oldest events" "$(jq -cn --argjson n "$drop" '{dropped: $n}')")"
}

# evq_drain CALLBACK — call CALLBACK EVENT_JSON for each event, oldest first. An event
# is removed only when CALLBACK succeeds; on the first failure stop (keeping it and
# everything after it) and return 1.
evq_drain() {
	local callback=$1 file
	declare -F "$callback" >/dev/null || command -v "$callback" >/dev/null || return 2
	while IFS= read -r file; do
		[[ -f $file ]] || continue
		"$callback" "$(<"$file")" || return 1
		rm -f -- "$file"
	done < <(_evq_files)
	return 0
}

# evq_drain_batch CALLBACK MAX — send up to MAX oldest events as one JSON array;
# remove them all when CALLBACK succeeds, none when it fails.
evq_drain_batch() {
	local callback=$1 max=${2:-100} batch
	local -a files=()
	mapfile -t files < <(_evq_files | head -n "$max")
	((${#files[@]})) || return 0
	batch=$(jq -cs '.' -- "${files[@]}") || return 1
	"$callback" "$batch" || return 1
	rm -f -- "${files[@]}"
}
