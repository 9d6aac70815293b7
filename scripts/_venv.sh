# Shared by scripts/start and scripts/test (sourced, not run): the project's virtual
# environment in .venv, created when missing and updated only when a requirements
# file changed (a stamp file in .venv records the hash of what was installed).

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The Python that creates .venv: $PYTHON, else python3 (3.11 or newer).
find_python() {
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null 2>&1 \
        || die "$python was not found; install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)"
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "CrisisDesk needs Python 3.11 or newer; $python is $("$python" -V 2>&1)"
    printf '%s\n' "$python"
}

# ensure_venv NAME FILE...: .venv exists and has FILE... installed (NAME names the stamp).
ensure_venv() {
    local name="$1"; shift
    local python stamp wanted
    if [[ ! -x .venv/bin/python ]]; then
        python="$(find_python)"
        if ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
            if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
                say "installing python3-venv (Debian)"
                apt-get update -qq
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            else
                die "Python's venv module is missing; install it first (Debian: sudo apt-get install python3-venv)"
            fi
        fi
        say "creating the virtual environment in .venv"
        "$python" -m venv .venv
    fi
    stamp=".venv/.installed-$name.sha256"
    wanted="$(cat "$@" | sha256sum | cut -d' ' -f1)"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
        say "installing Python packages from $* (once; again only when they change)"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1" \
            || die "pip could not install $1; see the messages above"
        printf '%s\n' "$wanted" > "$stamp"
    fi
}
