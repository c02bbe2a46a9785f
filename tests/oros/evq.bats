#!/usr/bin/env bats
# Event queue: one file per event, oldest first, kept until sent.

load helpers/common

setup() {
	oros_setup
	oros_source evq
}

@test "evq_event builds a complete event with jq" {
	ev=$(evq_event oc_failed warning 'quote " and $(touch x)' '{"k":1}' 3)
	assert_json_eq '{"type":"oc_failed","severity":"warning","message":"quote \" and $(touch x)","gpu":3,"data":{"k":1}}' \
		"$(jq -c 'del(.id, .ts)' <<<"$ev")"
	[[ $(jq -r .id <<<"$ev") =~ ^[0-9a-f-]{36}$ ]]
	[[ $(jq -r .ts <<<"$ev") =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]]
	assert_eq null "$(evq_event a info m | jq -c .gpu)"
}

@test "events drain oldest first and leave the queue empty" {
	for i in 1 2 3; do evq_push "$(jq -cn --argjson i "$i" '{n: $i}')"; done
	assert_eq 3 "$(evq_count)"
	sent=()
	collect() { sent+=("$(jq -r .n <<<"$1")"); }
	evq_drain collect
	assert_eq "1 2 3" "${sent[*]}"
	assert_eq 0 "$(evq_count)"
}

@test "a failed send keeps that event and the ones after it" {
	for i in 1 2 3; do evq_push "{\"n\":$i}"; done
	attempts=0
	flaky() {
		attempts=$((attempts + 1))
		[[ $(jq -r .n <<<"$1") != 2 ]]
	}
	run evq_drain flaky
	[ "$status" -eq 1 ]
	evq_drain flaky || true
	assert_eq 2 "$(evq_count)"
	ok() { :; }
	evq_drain ok
	assert_eq 0 "$(evq_count)"
}

@test "evq_push reads JSON lines from stdin and refuses non-objects" {
	run evq_push <<<$'{"a":1}\nnot json\n[1]\n{"b":2}'
	[ "$status" -eq 1 ]
	assert_eq 2 "$(evq_count)"
}

@test "evq_drain_batch sends one array; all kept on failure" {
	for i in 1 2 3 4 5; do evq_push "{\"n\":$i}"; done
	fail() { return 1; }
	run evq_drain_batch fail 3
	[ "$status" -eq 1 ]
	assert_eq 5 "$(evq_count)"
	got=''
	take() { got=$1; }
	evq_drain_batch take 3
	assert_json_eq '[{"n":1},{"n":2},{"n":3}]' "$got"
	assert_eq 2 "$(evq_count)"
}

@test "the queue is bounded and says how much it dropped" {
	export OROS_EVQ_MAX=3
	for i in 1 2 3 4 5; do evq_push "{\"n\":$i}"; done
	all=$(cat "$OROS_RUN_DIR"/events/*.json | jq -cs 'map(.n // .type)')
	assert_eq 3 "$(evq_count)"
	assert_contains "$all" '"events_dropped"'
	assert_contains "$all" '5'
}
