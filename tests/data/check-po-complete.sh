#!/bin/bash
# po-complete: every msgid of po/POTFILES.in's sources has a translation in
# each language of po/LINGUAS (nothing untranslated, nothing fuzzy, formats ok).
# Usage: check-po-complete.sh SOURCE_ROOT WORK_DIR
set -euo pipefail

src=$1
work=$2
mkdir -p "$work"

source "$(dirname "${BASH_SOURCE[0]}")/po-common.sh"

potfiles_listed "$src" > "$work/POTFILES"
if [ ! -s "$work/POTFILES" ]; then
  echo "po/POTFILES.in lists no file" >&2
  exit 1
fi
xgettext --package-name=rapport --directory="$src" --files-from="$work/POTFILES" \
  --output="$work/rapport.pot" "${xgettext_args[@]}"
total=$(msgattrib --no-wrap "$work/rapport.pot" | grep -c '^msgid ' || true)
echo "# $((total - 1)) messages in po/POTFILES.in's sources"

status=0
for lang in $(grep -v '^[[:space:]]*#' "$src/po/LINGUAS"); do
  po="$src/po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "po/$lang.po is missing (listed in po/LINGUAS)" >&2
    status=1
    continue
  fi
  msgfmt --check --output-file=/dev/null "$po" || { echo "po/$lang.po does not compile" >&2; status=1; }
  msgmerge --quiet --no-wrap --output-file="$work/$lang.po" "$po" "$work/rapport.pot"
  msgfmt --check --output-file=/dev/null "$work/$lang.po" || status=1
  for kind in untranslated only-fuzzy; do
    missing=$(msgattrib --no-wrap --no-obsolete --"$kind" "$work/$lang.po" | grep '^msgid ' | grep -v '^msgid ""$' || true)
    if [ -n "$missing" ]; then
      n=$(printf '%s\n' "$missing" | wc -l)
      echo "po/$lang.po: $n ${kind#only-} message(s); run 'meson compile -C BUILD rapport-update-po' and translate them:" >&2
      head -50 <<< "$missing" >&2
      status=1
    fi
  done
  [ $status -eq 0 ] && echo "ok po/$lang.po translates all $((total - 1)) messages"
done
exit $status
