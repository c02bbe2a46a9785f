# shellcheck shell=bash
# http.sh — the only way oros talks HTTP to the openrig server.
#
# TLS certificates are always verified (there is no switch to turn that off); a private
# CA can be added with HTTP_CA_FILE. The rig token never appears on a command line
# (where `ps` would show it): it lives in a 0600 header file that curl reads with
# `-H @file`. Request bodies travel on curl's stdin. Build JSON bodies with
# `jq -n --arg/--argjson`, never by pasting strings.
#
#   http_init BASE_URL [CA_FILE]   set the server; checks the scheme
#   http_set_token TOKEN           store "Authorization: Bearer TOKEN" privately
#   http_clear_token
#   http_request METHOD PATH OUTFILE [BODY_JSON]
#        → 0 on 2xx; HTTP_STATUS holds the status (000 when no answer); the body is in
#          OUTFILE. Returns 1 for transport errors, 2 for a non-2xx answer.
#
# Settings: HTTP_CONNECT_TIMEOUT (10 s), HTTP_MAX_TIME (30 s), HTTP_CURL (curl; tests
# point it at a recorder), OROS_RUN_DIR for the header file.

HTTP_BASE_URL=${HTTP_BASE_URL:-}
HTTP_CA_FILE=${HTTP_CA_FILE:-}
HTTP_STATUS=000
HTTP_AUTH_FILE=${HTTP_AUTH_FILE:-}

# http_init BASE_URL [CA_FILE]
http_init() {
	local url=${1%/} ca=${2:-}
	if [[ ! $url =~ ^https?://[^[:space:]/]+ ]]; then
		printf 'oros: http: not an http(s) URL: %s\n' "$url" >&2
		return 1
	fi
	if [[ -n $ca && ! -r $ca ]]; then
		printf 'oros: http: CA file not readable: %s\n' "$ca" >&2
		return 1
	fi
	HTTP_BASE_URL=$url
	HTTP_CA_FILE=$ca
}

# http_set_token TOKEN — write the Authorization header to a private file.
http_set_token() {
	local token=$1 dir
	if [[ -z $token || $token == *[[:cntrl:][:space:]]* ]]; then
		printf 'oros: http: refusing an empty token or one with spaces/control characters\n' >&2
		return 1
	fi
	dir="${OROS_RUN_DIR:-/run/oros}/secrets"
	(umask 077 && mkdir -p -- "$dir") || return 1
	HTTP_AUTH_FILE="$dir/auth-header"
	(umask 077 && printf 'Authorization: Bearer %s\n' "$token" >"$HTTP_AUTH_FILE")
}

http_clear_token() {
	[[ -n $HTTP_AUTH_FILE ]] && rm -f -- "$HTTP_AUTH_FILE"
	HTTP_AUTH_FILE=
}

# _http_argv METHOD URL OUTFILE HAS_BODY ARRAYNAME — fill the curl argument array.
_http_argv() {
	local method=$1 url=$2 out=$3 has_body=$4
	local -n _http_args=$5
	_http_args=("${HTTP_CURL:-curl}" --silent --show-error
		--proto '=http,https' --proto-redir '=https' --tlsv1.2
		--connect-timeout "${HTTP_CONNECT_TIMEOUT:-10}" --max-time "${HTTP_MAX_TIME:-30}"
		--request "$method" --output "$out" --write-out '%{http_code}'
		-H 'Accept: application/json' -H 'User-Agent: oros')
	if [[ -n $HTTP_CA_FILE ]]; then
		_http_args+=(--cacert "$HTTP_CA_FILE")
	fi
	if [[ -n $HTTP_AUTH_FILE ]]; then
		_http_args+=(-H "@$HTTP_AUTH_FILE")
	fi
	if [[ $has_body == 1 ]]; then
		_http_args+=(-H 'Content-Type: application/json' --data-binary @-)
	fi
	_http_args+=(--url "$url")
}

# http_request METHOD PATH OUTFILE [BODY_JSON]
http_request() {
	local method=$1 path=$2 out=$3 status rc=0 has_body=0
	local -a argv=()
	HTTP_STATUS=000
	if [[ -z $HTTP_BASE_URL ]]; then
		printf 'oros: http: http_init was not called\n' >&2
		return 1
	fi
	if [[ ! $method =~ ^(GET|POST|PUT|PATCH|DELETE)$ || ! $path =~ ^/[^[:space:][:cntrl:]]*$ ]]; then
		printf 'oros: http: bad request line: %s %s\n' "$method" "$path" >&2
		return 1
	fi
	(($# >= 4)) && has_body=1
	_http_argv "$method" "$HTTP_BASE_URL$path" "$out" "$has_body" argv
	if ((has_body)); then
		status=$(printf '%s' "$4" | "${argv[@]}") || rc=$?
	else
		status=$("${argv[@]}" </dev/null) || rc=$?
	fi
	[[ $status =~ ^[0-9]{3}$ ]] && HTTP_STATUS=$status
	if ((rc != 0)) || [[ $HTTP_STATUS == 000 ]]; then
		return 1
	fi
	[[ $HTTP_STATUS == 2?? ]] || return 2
	return 0
}

# http_get_json PATH OUTFILE — GET and check that the answer is JSON.
http_get_json() {
	http_request GET "$1" "$2" || return
	jq -e . "$2" >/dev/null 2>&1 || return 3
}
