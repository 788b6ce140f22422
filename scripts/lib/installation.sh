# Shared by the benchmarks that start a platform of their own (sourced, not run).

# The processes whose command line or working directory is in the directory $1: the apps of an
# installation there outlive `bin/hop3 stop` by design, and `python3 app.py` does not name it.
processes_in() {
  local p cwd
  pgrep -f -- "$1/" || true
  for p in /proc/[0-9]*; do
    cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
    if [[ "$cwd" == "$1" || "$cwd" == "$1"/* ]]; then
      echo "${p#/proc/}"
    fi
  done
}

# Removes what the installation with the state directory $1 left in the kernel by design (its apps
# outlive it): its chain and port set in the nftables table inet hop3, named by the first 8 hex
# digits of the SHA-256 of that directory. A stale set drops outside connections to its ports for
# good, whatever listens there later.
remove_firewall_rules() {
  local tag
  command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || return 0
  tag=$(printf '%s' "$1" | sha256sum | cut -c1-8)
  PATH=$PATH:/usr/sbin nft delete chain inet hop3 "input_$tag" 2>/dev/null || true
  PATH=$PATH:/usr/sbin nft delete set inet hop3 "ports_$tag" 2>/dev/null || true
}
