#!/usr/bin/env bash
# Main job: builds P2PChat, starts a rendezvous server on the embedded SQLite default, and a peer signed in to it.
# Both run as deployed (scripts/programs.sh): the peer native AOT (ReadyToRun where clang is missing and cannot be
# installed), the server ReadyToRun; neither JIT-compiles its paths first.
# State lives in .run/ (server data, the peer's profile, the local account's generated password).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${P2PCHAT_PORT:-7777}
user=${P2PCHAT_USER:-${USER:-guest}}
[ ${#user} -ge 3 ] || user="$user-user"  # usernames are 3-32 characters
state=.run
mkdir -p "$state"

. scripts/programs.sh
publish_programs >&2
server_dll=$SERVER_DLL

: > "$state/server.log"
dotnet "$server_dll" --listen "127.0.0.1:$port" --data "$state/server" >>"$state/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' EXIT INT TERM

for _ in $(seq 1 300); do
  grep -q "listening on" "$state/server.log" && break
  kill -0 $server_pid 2>/dev/null || { cat "$state/server.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "listening on" "$state/server.log" || { echo "server did not start; see $state/server.log" >&2; exit 1; }
echo "rendezvous server on 127.0.0.1:$port (log: $state/server.log)" >&2

# A local account for this machine: its password is generated once and kept in .run/ (never in the profile).
if [ ! -s "$state/password" ]; then
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$state/password")
fi
export P2PCHAT_PASSWORD
P2PCHAT_PASSWORD=$(cat "$state/password")

"${PEER_CMD[@]}" --server "127.0.0.1:$port" --profile "$state/profile" --login "$user" --register-if-missing "$@"
