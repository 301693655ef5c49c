#!/bin/sh
# Print a Python >= 3.12 interpreter (Django 6.1 needs it): the usual names first, each
# checked by actually running it (pyenv shims answer `command -v` but fail until a version
# is selected), then pyenv's installed versions. Exits 1 with advice if none fits.
check() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for cand in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
  [ -n "$cand" ] || continue
  if command -v "$cand" >/dev/null 2>&1 && check "$cand"; then command -v "$cand"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for cand in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
  if check "$cand"; then echo "$cand"; exit 0; fi
done
echo "dangshi needs Python 3.12 or newer (Django 6.1). Install it, e.g. 'apt install python3.12 python3.12-venv'," >&2
echo "'brew install python@3.12', or 'pyenv install 3.12', or set PYTHON=/path/to/python3.12." >&2
exit 1
