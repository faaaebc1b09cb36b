#!/bin/bash
# potfiles-complete: every source file under app/ and ui/ with a string marked
# for translation is listed in po/POTFILES.in (xgettext decides, so comments
# do not count), every listed file exists, and every language in po/LINGUAS
# has its .po file.
# Usage: check-potfiles.sh SOURCE_ROOT WORK_DIR
set -euo pipefail

src=$1
work=$2
mkdir -p "$work"
source "$(dirname "${BASH_SOURCE[0]}")/po-common.sh"
cd "$src"

listed=$(potfiles_listed "$src")
status=0

while read -r f; do
  [ -z "$f" ] && continue
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist" >&2
    status=1
  fi
done <<< "$listed"

find app ui -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' \) 2>/dev/null | sort > "$work/candidates"
rm -f "$work/all.pot"
if [ -s "$work/candidates" ]; then
  xgettext --directory="$src" --files-from="$work/candidates" --output="$work/all.pot" \
    --force-po "${xgettext_args[@]}"
fi
marked=$( { grep '^#: ' "$work/all.pot" 2>/dev/null || true; } | tr ' ' '\n' | grep -v '^#:$' \
          | sed 's/:[0-9]*$//' | sort -u)
while read -r f; do
  [ -z "$f" ] && continue
  if ! grep -qxF "$f" <<< "$listed"; then
    echo "$f has strings marked for translation but is not in po/POTFILES.in" >&2
    status=1
  fi
done <<< "$marked"

for lang in $(grep -v '^[[:space:]]*#' po/LINGUAS); do
  [ -f "po/$lang.po" ] || { echo "po/LINGUAS lists $lang but po/$lang.po is missing" >&2; status=1; }
done

[ $status -eq 0 ] && echo "ok $(grep -c . <<< "$listed") files in po/POTFILES.in"
exit $status
