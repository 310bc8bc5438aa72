# Sourced by scripts that talk to `kefu-lint serve`: start_service BIN LOG
# starts BIN on a free loopback port with its standard error in LOG, stops it
# when the script exits, and sets `server` (its pid) and `address` (the
# http://host:port it printed); exits 1 with LOG's text when it has not
# printed an address within 10 s.
start_service() {
  local bin=$1 log=$2
  "$bin" serve --bind 127.0.0.1:0 2> "$log" &
  server=$!
  trap 'kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true' EXIT
  address=
  for _ in $(seq 100); do
    address=$(sed -n 's/^kefu-lint serve: listening on //p' "$log")
    [ -n "$address" ] && break
    sleep 0.1
  done
  [ -n "$address" ] || { cat "$log" >&2; echo "the service did not start" >&2; exit 1; }
}
