#!/bin/bash
# gschema-keys: the compiled schema in the build dir has every key the app and
# the reminder and sync parts read, with the documented defaults.
# Usage: check-schema.sh COMPILED_SCHEMA_DIR
set -euo pipefail

expected="org.rapport.Rapport daily-digest-enabled false
org.rapport.Rapport daily-digest-time '08:30'
org.rapport.Rapport default-cadence-customer 30
org.rapport.Rapport default-cadence-former 0
org.rapport.Rapport default-cadence-partner 60
org.rapport.Rapport default-cadence-prospect 14
org.rapport.Rapport quiet-hours-enabled false
org.rapport.Rapport quiet-hours-end '08:00'
org.rapport.Rapport quiet-hours-start '18:00'
org.rapport.Rapport run-in-background false
org.rapport.Rapport sync-server-url ''
org.rapport.Rapport sync-user ''
org.rapport.Rapport window-height 720
org.rapport.Rapport window-maximized false
org.rapport.Rapport window-width 1100
org.rapport.Rapport working-days-only true"

actual=$(GSETTINGS_BACKEND=memory gsettings --schemadir "$1" list-recursively org.rapport.Rapport | sort)
for line in $(seq 1 "$(wc -l <<< "$expected")"); do
  want=$(sed -n "${line}p" <<< "$expected")
  if ! grep -qxF "$want" <<< "$actual"; then
    echo "missing or different: $want" >&2
    echo "compiled schema has:" >&2
    echo "$actual" >&2
    exit 1
  fi
done
echo "ok $(wc -l <<< "$actual") keys"
