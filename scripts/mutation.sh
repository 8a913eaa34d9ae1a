#!/usr/bin/env bash
# Mutation testing of the domain core against the fast unit tests (tests/unit), with mutmut 3.
# Not part of scripts/test: it takes a quarter of an hour or more on one core.
#
# Usage: scripts/mutation.sh [FILE.py ...]
#   FILE: paths under src/ to mutate; by default domain/engine.py, domain/scoring.py and domain/portfolio.py.
# Environment:
#   MUTATION_CHILDREN  parallel test processes (default 1: the machine is shared)
#   MUTATION_KEEP=1    keep the scratch copy afterwards (to run `mutmut show NAME` inside it)
#
# mutmut runs in a scratch copy of src/, tests/ and pyproject.toml, with its configuration written
# there: nothing in the repository is changed. The summary per file (killed, survived, ...) and
# the list of the mutants not killed are printed at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh" "test"
cd "$ROOT"

if ! "$VENV/bin/python" -c 'import mutmut' 2>/dev/null; then
    echo "Installation de mutmut..." >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'mutmut>=3.3,<4' >&2
fi

if [ "$#" -gt 0 ]; then
    FILES=("$@")
else
    FILES=(src/bilan_tui/domain/engine.py src/bilan_tui/domain/scoring.py src/bilan_tui/domain/portfolio.py)
fi
for file in "${FILES[@]}"; do
    [ -f "$file" ] || { echo "Fichier introuvable : $file" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bilan-mutation.XXXXXX")"
if [ "${MUTATION_KEEP:-0}" = "1" ]; then
    echo "Copie de travail conservée : $WORK" >&2
else
    trap 'rm -rf "$WORK"' EXIT
fi
cp -r src tests pyproject.toml "$WORK/"
find "$WORK" -name __pycache__ -type d -prune -exec rm -rf {} +

{
    echo "[mutmut]"
    echo "source_paths = src"
    echo "only_mutate ="
    for file in "${FILES[@]}"; do echo "    $file"; done
    echo "pytest_add_cli_args_test_selection = tests/unit"
    echo "pytest_add_cli_args ="
    echo "    -p"
    echo "    no:cacheprovider"
} > "$WORK/setup.cfg"

cd "$WORK"
"$VENV/bin/mutmut" run --max-children "${MUTATION_CHILDREN:-1}" > mutmut-run.log 2>&1 || {
    tail -n 40 mutmut-run.log >&2
    exit 1
}
"$VENV/bin/mutmut" results --all true > results.txt

echo
echo "== Score par fichier (détectés = tués + délai dépassé)"
"$VENV/bin/python" - "${FILES[@]}" <<'PY'
import collections
import sys

modules = {f.removeprefix("src/").removesuffix(".py").replace("/", "."): f for f in sys.argv[1:]}
counts = {m: collections.Counter() for m in modules}
for line in open("results.txt", encoding="utf-8"):
    name, _, status = line.strip().rpartition(": ")
    module = next((m for m in modules if name.startswith(m + ".")), None)
    if module:
        counts[module][status] += 1
for module, c in counts.items():
    total = sum(c.values())
    detected = c["killed"] + c["timeout"]
    score = 100 * detected / total if total else 0.0
    others = ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k not in ("killed", "survived"))
    print(f"{modules[module]}: {detected}/{total} détectés ({score:.1f} %), "
          f"tués {c['killed']}, survivants {c['survived']}" + (f", {others}" if others else ""))
PY
echo
echo "== Mutants non tués"
grep -v ': killed$' results.txt || echo "(aucun)"
