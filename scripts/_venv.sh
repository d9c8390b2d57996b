# Shared by scripts/run and scripts/test: make .venv and install the project.
# Needs only Python 3.11+ (python3, or $PYTHON).
VENV="${VENV:-.venv}"

ensure_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "vault-tools needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)" >&2
        exit 2
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        "$python" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --editable ".${extras:+[$extras]}"
}
