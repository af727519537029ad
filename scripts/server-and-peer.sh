#!/usr/bin/env bash
# The main job on one machine: a rendezvous server on its embedded SQLite default, plus a peer signed in to it.
# The peer runs in the foreground: type slash commands (/help), read JSON events; end with /quit or Ctrl-D.
# Settings (environment): P2PCHAT_DATA (folder, default ./.p2pchat-demo), P2PCHAT_LISTEN (default 127.0.0.1:7777),
# P2PCHAT_USER (default demo), P2PCHAT_PASSWORD (default demo-password). The account is registered on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${P2PCHAT_DATA:-./.p2pchat-demo}
listen=${P2PCHAT_LISTEN:-127.0.0.1:7777}
user=${P2PCHAT_USER:-demo}
export P2PCHAT_PASSWORD=${P2PCHAT_PASSWORD:-demo-password}

dotnet build Rendezvous -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
dotnet build Peer -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
server_dll=Rendezvous/bin/Release/net10.0/p2pchat-rendezvous.dll
peer_dll=Peer/bin/Release/net10.0/p2pchat.dll

mkdir -p "$data"
log="$data/server.log"
: >"$log"
dotnet "$server_dll" --listen "$listen" --data "$data/server" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  grep -q "listening on" "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
grep -E "fingerprint|listening on" "$log" >&2

# Register once (a second run just gets "username taken", which is fine), then sign in and hand over the terminal.
printf '/register %s "%s"\n/quit\n' "$user" "$P2PCHAT_PASSWORD" \
  | dotnet "$peer_dll" --headless --server "$listen" --profile "$data/peer" >/dev/null
dotnet "$peer_dll" --headless --server "$listen" --profile "$data/peer" --login "$user"
