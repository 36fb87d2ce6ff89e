# Sourced by ./run-tests: a throwaway PostgreSQL cluster for the PostgreSQL tests, on 127.0.0.1 only, in a temp folder
# that is deleted at exit. Installs Debian's postgresql when initdb is missing. On success exports
# SSOVAULT_TEST_POSTGRES (an Npgsql connection string for a superuser); on failure leaves it unset, and the PostgreSQL
# tests then FAIL with a message saying why (they never skip, with or without CI=true).

pg_cluster_dir=""
pg_bin=""
pg_as=()

pg_find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { pg_bin="$dir"; return 0; }
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    pg_bin="$(dirname "$(command -v pg_ctl)")"; return 0
  fi
  return 1
}

pg_install() {
  echo "run-tests: PostgreSQL is not installed; installing Debian's postgresql package"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "run-tests: cannot install postgresql (not root, no sudo)"; return 1
  fi
}

pg_free_port() {
  local port
  for port in $(seq 54320 54420); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start_test_postgres() {
  pg_find_bin || { pg_install && pg_find_bin; } || { echo "run-tests: no PostgreSQL: the PostgreSQL tests will fail"; return 1; }
  pg_cluster_dir="$(mktemp -d "${TMPDIR:-/tmp}/ssovault-pg.XXXXXX")"
  # PostgreSQL refuses to run as root: as root, the cluster belongs to the 'postgres' user the package created.
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    chown postgres "$pg_cluster_dir"
    pg_as=(runuser -u postgres --)
  fi
  local password port
  password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
  printf '%s\n' "$password" >"$pg_cluster_dir/pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_cluster_dir/pwfile"
  port="$(pg_free_port)" || { echo "run-tests: no free port for PostgreSQL"; return 1; }
  if ! "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_cluster_dir/data" -U ssovault --auth=scram-sha-256 --pwfile="$pg_cluster_dir/pwfile" \
         -E UTF8 --locale=C.UTF-8 >"$pg_cluster_dir/initdb.log" 2>&1; then
    echo "run-tests: initdb failed:"; cat "$pg_cluster_dir/initdb.log"; return 1
  fi
  rm -f "$pg_cluster_dir/pwfile"
  # fsync off: a throwaway cluster need not survive a power cut, and the tests create and drop many databases.
  if ! "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_cluster_dir/data" -l "$pg_cluster_dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_cluster_dir -c fsync=off -c full_page_writes=off -c max_connections=200" \
         start >/dev/null; then
    echo "run-tests: PostgreSQL did not start:"; tail -n 20 "$pg_cluster_dir/server.log"; return 1
  fi
  export SSOVAULT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=ssovault;Password=$password;Database=postgres"
  echo "run-tests: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($pg_cluster_dir)"
}

stop_test_postgres() {
  [ -n "$pg_cluster_dir" ] || return 0
  if [ -f "$pg_cluster_dir/data/postmaster.pid" ]; then
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_cluster_dir/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$pg_cluster_dir"
  pg_cluster_dir=""
}
