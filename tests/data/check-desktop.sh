#!/bin/bash
# desktop-file: the built desktop entry validates, launches the app by its
# app id's icon, opens the files it imports, and carries the German and French translations from po/.
# Usage: check-desktop.sh DESKTOP_FILE APP_ID EXEC
set -euo pipefail

file=$1
app_id=$2
exec_line=$3
status=0

desktop-file-validate "$file" || status=1
grep -qxF "Icon=$app_id" "$file" || { echo "$file: Icon is not $app_id" >&2; status=1; }
grep -qxF "Exec=$exec_line" "$file" || { echo "$file: Exec is not '$exec_line'" >&2; status=1; }
# The main entry opens vCard and CSV files (an import dialog each).
if [ "$exec_line" = "rapport %U" ]; then
  for type in text/vcard text/x-vcard text/csv; do
    grep -q "^MimeType=.*$type;" "$file" || { echo "$file: MimeType lacks $type" >&2; status=1; }
  done
fi
for lang in de fr; do
  grep -q "^Comment\[$lang\]=." "$file" || { echo "$file: no Comment[$lang]: po/$lang.po not merged" >&2; status=1; }
done
[ $status -eq 0 ] && echo "ok $file"
exit $status
