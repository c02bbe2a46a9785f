#!/usr/bin/env bash
# The README's quick tour, by curl alone: sign up, create a farm, a group, a flight
# sheet and an OC profile, add rigs, change a setting for the whole farm and for one
# group, see a rig's effective config and download its rig.conf.
#
#   docs/examples/quickstart.sh [SERVER_URL] [EMAIL] [PASSWORD]
#
# Needs curl and jq. Cookies live in a temporary jar; every state change sends the
# CSRF token that login/signup returned.
set -euo pipefail

URL=${1:-http://127.0.0.1:8000}
EMAIL=${2:-you@example.com}
PASSWORD=${3:-a long password of yours}
API="$URL/api/v1"
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT

# call METHOD PATH [JSON] — prints the answer; fails loudly on a 4xx/5xx.
call() {
    local method=$1 path=$2 body=${3:-}
    local args=(-sS --fail-with-body -b "$JAR" -c "$JAR" -X "$method" -H "X-CSRF-Token: ${CSRF:-}")
    [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data "$body")
    curl "${args[@]}" "$API$path"
}

# 1. Sign up (the first user of an instance is its admin), or log in if you exist.
creds=$(jq -n --arg e "$EMAIL" --arg p "$PASSWORD" '{email: $e, password: $p}')
if ! answer=$(call POST /auth/signup "$creds" 2>/dev/null); then
    answer=$(call POST /auth/login "$creds")
fi
CSRF=$(jq -r .csrf_token <<<"$answer")
echo "logged in as $(jq -r .user.email <<<"$answer")"

# 2. A farm, and a group in it.
FARM=$(call POST /farms '{"name": "Home farm"}' | jq -r .id)
GROUP=$(call POST "/farms/$FARM/groups" '{"name": "3070s"}' | jq -r .id)

# 3. A flight sheet (what to mine, where) and an OC profile.
SHEET=$(call POST "/farms/$FARM/flight-sheets" '{
  "name": "RVN on example pool",
  "miner": {"name": "trex", "version": "0.26.8", "algo": "kawpow",
            "pools": [{"url": "stratum+tcp://rvn.pool.example:3333", "user": "RWALLET.{rig}", "pass": "x"}]}
}' | jq -r .id)
PROFILE=$(call POST "/farms/$FARM/oc-profiles" '{
  "name": "3070 efficient",
  "oc": {"nvidia": {"power_limit_w": 120, "core_offset_mhz": 100, "mem_offset_mhz": 800,
                    "fan": {"mode": "auto"}}}
}' | jq -r .id)

# 4. Two rigs, one of them in the group.
RIG1=$(call POST "/farms/$FARM/rigs" "$(jq -n --arg g "$GROUP" '{name: "rig-01", group_id: $g, tags: ["garage"]}')" | jq -r .id)
RIG2=$(call POST "/farms/$FARM/rigs" '{"name": "rig-02"}' | jq -r .id)

# 5. Farm-wide: every rig mines with the flight sheet and reports every 20 s.
call PATCH "/farms/$FARM/config" "$(jq -n --arg s "$SHEET" \
    '{flight_sheet_id: $s, config: {report_interval_s: 20}}')" >/dev/null
# For one group: the OC profile and a stricter watchdog.
call PATCH "/groups/$GROUP/config" "$(jq -n --arg p "$PROFILE" \
    '{oc_profile_id: $p, config: {watchdog: {max_temp_c: 80}}}')" >/dev/null

# 6. The effective config of rig-01 and where each value came from.
call GET "/rigs/$RIG1/config" | jq '{effective, sources}'
echo "rig-02 mines $(call GET "/rigs/$RIG2/config" | jq -r '.effective.miner.pools[0].user')"

# 7. rig.conf for rig-01: put it on the rig's USB key (each download issues a new token).
call GET "/rigs/$RIG1/rig.conf" > rig.conf
echo "wrote rig.conf for rig-01 ($(grep -c '=' rig.conf) settings)"
