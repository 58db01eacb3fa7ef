#!/usr/bin/env bash
# Checks, and installs from Debian's packages where it can, every tool the tests use.
# Sourced by ci/test; safe to run on its own.
set -euo pipefail

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "ci/tools: $* is missing and there is no apt-get here; install it by hand" >&2
    return 1
  fi
  if [[ $apt_updated -eq 0 ]]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
SUDO=""
[[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && SUDO="sudo"

# Java 17+ and Maven build and run everything.
if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  echo "ci/tools: installing a Java 17 JDK" >&2
  apt_install openjdk-17-jdk-headless
fi
command -v mvn >/dev/null || { echo "ci/tools: installing Maven" >&2; apt_install maven; }

# setsid and prlimit (util-linux): kustomize runs in its own process group under a memory limit.
command -v prlimit >/dev/null && command -v setsid >/dev/null || { echo "ci/tools: installing util-linux" >&2; apt_install util-linux; }

# git: the git daemon integration tests run the real binary.
command -v git >/dev/null || { echo "ci/tools: installing git" >&2; apt_install git; }

# sshd (Debian's openssh-server) and ssh-keygen: SshFetchIT fetches from a real OpenSSH server it starts on loopback with its
# own config (dev.flotilla.testing.OpenSshServer); the signed-commit tests make keys and SSH signatures with ssh-keygen.
# No system sshd is started or needed.
[[ -x /usr/sbin/sshd ]] || { echo "ci/tools: installing openssh-server" >&2; apt_install openssh-server; }
command -v ssh-keygen >/dev/null || { echo "ci/tools: installing openssh-client" >&2; apt_install openssh-client; }

# kustomize: a standalone binary, or kubectl with Kustomize v5 embedded. Debian's kubernetes-client
# package embeds Kustomize v2, too old for the fleet repo format, so it is not installed from here.
if [[ -n "${FLOTILLA_KUSTOMIZE:-}" ]]; then
  [[ -x "$FLOTILLA_KUSTOMIZE" ]] || { echo "ci/tools: FLOTILLA_KUSTOMIZE=$FLOTILLA_KUSTOMIZE is not executable" >&2; exit 1; }
elif command -v kustomize >/dev/null; then
  echo "ci/tools: kustomize: $(kustomize version 2>/dev/null | head -1)" >&2
elif command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; then
  echo "ci/tools: kubectl kustomize: $(kubectl version --client 2>/dev/null | grep -i kustomize || echo unknown)" >&2
else
  cat >&2 <<'MSG'
ci/tools: no kustomize found. Install one of:
  - kubectl 1.27 or newer (it embeds Kustomize v5), on PATH
  - a standalone kustomize v5 binary, on PATH
  - or point FLOTILLA_KUSTOMIZE at either binary
MSG
  exit 1
fi

# PostgreSQL: the *IT tests start throwaway clusters with initdb and pg_ctl (dev.flotilla.testing.PostgresServer),
# as the postgres user when run as root. Debian keeps the server binaries in /usr/lib/postgresql/<version>/bin,
# off the PATH; the package also creates the postgres user. No system cluster is needed: the tests start their own.
pg_bin_found() {
  command -v pg_ctl >/dev/null && command -v initdb >/dev/null && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
if ! pg_bin_found; then
  echo "ci/tools: installing PostgreSQL" >&2
  apt_install postgresql
  pg_bin_found || { echo "ci/tools: PostgreSQL installed but no initdb found under /usr/lib/postgresql" >&2; exit 1; }
fi
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || { echo "ci/tools: no 'postgres' user to run test clusters as; reinstall the postgresql package" >&2; exit 1; }
  command -v runuser >/dev/null || { echo "ci/tools: runuser (util-linux) is missing; it runs test clusters as postgres" >&2; exit 1; }
fi
echo "ci/tools: PostgreSQL: $( (command -v pg_ctl >/dev/null && pg_ctl --version) || ls -d /usr/lib/postgresql/*/bin | tail -1)" >&2

# npm: GitHubApiOpenApiIT fetches GitHub's OpenAPI description (@octokit/openapi) from the npm registry with `npm pack`.
command -v npm >/dev/null || { echo "ci/tools: installing npm" >&2; apt_install npm; }
echo "ci/tools: npm: $(npm --version 2>/dev/null || echo missing)" >&2
