# Shared by scripts/run and scripts/test: create or refresh .venv and install the project.
# Usage: source scripts/_setup.sh EXTRAS   (EXTRAS is "" or "test")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${1:-}"

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "bilan-tui a besoin de Python 3.11 ou plus récent (introuvable sur cette machine)." >&2
    return 1
}

if [ ! -x "$VENV/bin/python" ]; then
    PY="$(find_python)"
    echo "Création de l'environnement virtuel (.venv)..." >&2
    "$PY" -m venv "$VENV"
fi

# Reinstall only when pyproject.toml or the requested extras changed.
stamp="$VENV/.bilan-tui-installed-$EXTRAS"
want="$(sha256sum < "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installation des dépendances..." >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$([ -n "$EXTRAS" ] && echo "[$EXTRAS]")" >&2
    echo "$want" > "$stamp"
fi
