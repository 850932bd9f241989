#!/usr/bin/env bash
# Installs the optgate .deb on this machine (root) and checks what an operator gets: the
# binaries, the unit (valid, exposure 1.5 or less), the system user and its state directory,
# the example config (which `optgated --check-config` accepts), then purges it again.
# Usage: tests/package/install-test.sh build/optgate_<version>_<arch>.deb
set -euo pipefail
deb=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
failures=0
check() {  # check "what" command...
  local what=$1; shift
  if "$@" >/tmp/optgate-package-check.log 2>&1; then
    echo "package: ok: $what"
  else
    echo "package: FAILED: $what"; sed 's/^/    /' /tmp/optgate-package-check.log
    failures=$((failures + 1))
  fi
}

export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "$deb" >/dev/null

check "dpkg lists optgate as installed" dpkg-query -W -f='${Status}' optgate
for f in /usr/sbin/optgated /usr/bin/optgatectl; do check "$f is executable" test -x "$f"; done
for f in /usr/lib/systemd/system/optgate.service /usr/lib/sysusers.d/optgate.conf \
         /usr/lib/tmpfiles.d/optgate.conf /etc/optgate/optgate.example.yaml; do
  check "$f is installed" test -f "$f"
done
check "the example config is a conffile" grep -qx /etc/optgate/optgate.example.yaml \
  /var/lib/dpkg/info/optgate.conffiles
check "the system user optgate exists" getent passwd optgate
check "/var/lib/optgate belongs to optgate, mode 700" \
  test "$(stat -c '%U %a' /var/lib/optgate)" = "optgate 700"
check "/etc/optgate is readable by group optgate" \
  test "$(stat -c '%U %G %a' /etc/optgate)" = "root optgate 750"
check "optgated --version" sh -c '/usr/sbin/optgated --version | grep -q "^optgated "'
# The example holds placeholders ("replace-with-...") for every secret and key, and names the
# SNS certificate an operator downloads to /etc/optgate/sns.pem: as installed it is refused,
# naming the first placeholder; filled in as an operator fills it, it is valid.
work=$(mktemp -d)
trap 'rm -rf "$work"; dpkg --purge optgate >/dev/null 2>&1 || true' EXIT
check "the example config as installed is refused for its placeholders" \
  sh -c '/usr/sbin/optgated --config /etc/optgate/optgate.example.yaml --check-config 2>&1 |
         grep -q "^config: providers.twilio.auth_token (line [0-9]*): still holds the example"'
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=sns.test -days 1 \
  -keyout "$work/sns.key" -out "$work/sns.pem" 2>/dev/null
sendgrid_key=$(openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
  openssl ec -pubout -outform DER 2>/dev/null | base64 -w0)
hash_of() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
sed -e "s|/etc/optgate/sns.pem|$work/sns.pem|" \
    -e "s|public_key: \"replace-with-[^\"]*\"|public_key: \"$sendgrid_key\"|" \
    -e "/broadcast-system/s|replace-with-[^\"]*|$(hash_of broadcast-key)|" \
    -e "/district-office/s|replace-with-[^\"]*|$(hash_of office-key)|" \
    -e "s|\"replace-with-[^\"]*\"|\"$(openssl rand -hex 32)\"|" \
    /etc/optgate/optgate.example.yaml >"$work/optgate.yaml"
check "optgated --check-config accepts the example config, filled in" \
  /usr/sbin/optgated --config "$work/optgate.yaml" --check-config
printf 'listen: 1\n' >"$work/broken.yaml"
check "optgated --check-config refuses a broken config, naming the key" \
  sh -c "/usr/sbin/optgated --config $work/broken.yaml --check-config 2>&1 | grep -q 'listen (line 1)'"
check "optgatectl --help" /usr/bin/optgatectl --help
check "systemd-analyze verify of the installed unit is clean" \
  "$here/../systemd/verify-unit.sh" systemd-analyze /usr/lib/systemd/system/optgate.service
check "the installed unit's exposure is 1.5 or less" \
  systemd-analyze security --offline=yes --threshold=15 /usr/lib/systemd/system/optgate.service

dpkg --purge optgate >/dev/null
check "purge removes the binaries" test ! -e /usr/sbin/optgated
check "purge keeps the journal directory" test -d /var/lib/optgate
if (( failures > 0 )); then echo "package: $failures check(s) failed"; exit 1; fi
echo "package: all checks passed"
