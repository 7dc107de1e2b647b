#!/usr/bin/env bash
# Installs what the tests need when it is missing (PostgreSQL server, Chromium), then runs every test.
set -euo pipefail
cd "$(dirname "$0")"

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian starts a cluster of its own on install; the tests start their own throwaway clusters instead.
if command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  pg_lsclusters -h 2>/dev/null | awk '$4=="online"{print $1, $2}' | while read -r v c; do pg_ctlcluster "$v" "$c" stop || true; done
fi

dotnet tool restore >/dev/null
dotnet build Haven.slnx -c Release -warnaserror -nologo -v quiet
dotnet format Haven.slnx --verify-no-changes --no-restore -v quiet

status=0
log=$(mktemp)
for project in tests/Haven.Tests tests/Haven.BrowserTests; do
  dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=1
done
# One closing line for the whole suite, summed over both test projects.
passed=$({ grep -E '^\s+Passed: [0-9]+$' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$({ grep -E '^\s+Failed: [0-9]+$' "$log" || true; } | awk '{s+=$2} END {print s+0}')
# Each failing test's name and message again, after the counts, where a reader of a long log looks first.
failures=$(awk '/^ +Failed .* \[[<0-9][^]]*s\]$/ { print; grab = 1; next }
  /^ +Stack Trace:/ || /^ +(Passed|Skipped) / { if (grab) print ""; grab = 0 }
  grab && !/^ +Error Message:/ { print }' "$log")
rm -f "$log"
[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed"
[ -z "$failures" ] || printf '\nFailed:\n%s\n' "$failures"
exit $status
