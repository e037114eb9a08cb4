# Starts a local Cognito (moto behind the project's proxy, tests/support/local_cognito.py) for a script, and stops it
# when the script exits. Source it from the repository root after scripts/local-cognito-venv, call
# start_local_cognito (it sets LOCAL_COGNITO_ENDPOINT, the proxy's URL), and call stop_local_cognito on exit.

local_cognito_work=""
local_cognito_pid=""

stop_local_cognito() {
    exec 3>&- 2> /dev/null || true
    if [ -n "$local_cognito_pid" ]; then
        kill "$local_cognito_pid" 2> /dev/null || true
        wait "$local_cognito_pid" 2> /dev/null || true
    fi
    if [ -n "$local_cognito_work" ]; then
        rm -rf "$local_cognito_work"
    fi
}

start_local_cognito() {
    local_cognito_work="$(mktemp -d "${TMPDIR:-/tmp}/local-cognito.XXXXXX")"
    mkfifo "$local_cognito_work/ready" "$local_cognito_work/keepalive"
    # The stack stops when its stdin reaches end of file. Its stdin is a fifo whose only writer is this script (fd 3),
    # so the stack goes away with this script however it ends. No helper process (such as `sleep infinity | ...`)
    # may hold this script's stdout or stderr open after it exits: whoever reads our output would wait for ever.
    .venv/bin/python tests/support/local_cognito.py < "$local_cognito_work/keepalive" > "$local_cognito_work/ready" \
        2> "$local_cognito_work/local-cognito.log" &
    local_cognito_pid=$!
    exec 3> "$local_cognito_work/keepalive"
    local ready_line
    read -r ready_line < "$local_cognito_work/ready"
    LOCAL_COGNITO_ENDPOINT="$(printf '%s' "$ready_line" \
        | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["proxy_url"])')"
    echo "local Cognito at $LOCAL_COGNITO_ENDPOINT"
}
