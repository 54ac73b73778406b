#!/usr/bin/env bash
# Loads the demo data through the public APIs (the same path as any client): institutions as platform.admin,
# then patients and their records as the institutions' clinicians. Idempotent: skips what is already there.
# Called by `./meridian up`; needs APP_URL and KC_URL (set by infra/local/stack.sh) or their defaults.
set -euo pipefail

APP_URL="${APP_URL:-http://127.0.0.1:${MERIDIAN_APP_PORT:-8080}}"
APP_URL="${APP_URL%/}"
KC_URL="${KC_URL:-http://127.0.0.1:${MERIDIAN_KC_PORT:-8180}}"
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "meridian: demo: $*" >&2; exit 1; }

# Keycloak's blocking brute-force protector refuses a correct login while it still books the same user's previous
# one, with the answer of a wrong password ("Invalid user credentials"): on a busy machine back-to-back logins of one
# user meet it. Such an answer is asked again, 6 times at most; a wrong password is refused every time.
token() {
  local body attempt
  for attempt in 1 2 3 4 5 6 7; do
    body=$(curl -sS --max-time 10 -d grant_type=password -d client_id=meridian-cli -d "username=$1" \
      -d password=meridian "$KC_URL/realms/meridian/protocol/openid-connect/token") || die "token request failed for $1"
    [[ $body == *'Invalid user credentials'* && $attempt -lt 7 ]] || break
    sleep "0.$((attempt + 2))"
  done
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$body" | grep . || die "no token for $1: ${body:0:200}"
}

put_tenant() { # id name country region
  local code
  code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' -d "{\"name\":\"$2\",\"country\":\"$3\",\"region\":\"$4\"}" \
    "$APP_URL/api/tenants/$1")
  [[ $code == 200 || $code == 201 ]] || die "registering tenant $1 answered $code"
}

# post_bundle <token> <file>: POST a FHIR transaction bundle unless its marker patient identifier already exists.
# loaded <token> <file>: is the bundle's marker patient identifier already there?
loaded() {
  local marker found
  marker=$(sed -n 's/.*"system": *"urn:meridian:demo", *"value": *"\([^"]*\)".*/\1/p' "$2" | head -n 1)
  found=$(curl -sS --max-time 10 -H "Authorization: Bearer $1" \
    "$APP_URL/fhir/Patient?identifier=urn:meridian:demo%7C$marker&_summary=count" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
  [[ "${found:-0}" != 0 ]]
}

post_bundle() {
  local tok=$1 file=$2 code
  if loaded "$tok" "$file"; then echo "meridian: demo: $(basename "$file") already loaded"; return 0; fi
  code=$(curl -sS --max-time 60 -o /tmp/meridian-demo-response.json -w '%{http_code}' -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/fhir+json' --data-binary "@$file" "$APP_URL/fhir") || die "POST $file failed"
  [[ $code == 200 ]] || die "loading $(basename "$file") answered $code: $(head -c 300 /tmp/meridian-demo-response.json)"
  echo "meridian: demo: loaded $(basename "$file")"
}

ADMIN=$(token platform.admin)
put_tenant nl-amstel "Amstel Hospital" NL eu-west
put_tenant de-spree "Spree Klinikum" DE eu-central

if compgen -G "$DIR/bundles/nl-amstel/*.json" >/dev/null; then
  NL=$(token dr.jansen)
  for f in "$DIR"/bundles/nl-amstel/*.json; do post_bundle "$NL" "$f"; done
fi
# A person is linked at a second institution only with their consent (ADR 0018): Anna grants Spree Klinikum
# access while it registers her Berlin record, and revokes the grant afterwards (the link stays; Spree's records of
# her are Spree's, and she sees them in the portal).
consent_grant() { # <patient token> <institution> -> grant id
  local body
  body=$(curl -sS --max-time 10 -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
    -d "{\"institution\":\"$2\",\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\",\"confirmCrossBorder\":true}" \
    "$APP_URL/api/grants") || die "granting $2 failed"
  sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$body" | head -n 1 | grep . || die "no grant id: ${body:0:200}"
}

if compgen -G "$DIR/bundles/de-spree/*.json" >/dev/null; then
  DE=$(token dr.mueller)
  ANNA=$(token patient.anna)
  GRANT=
  for f in "$DIR"/bundles/de-spree/*.json; do
    if [[ -z $GRANT ]] && ! loaded "$DE" "$f"; then GRANT=$(consent_grant "$ANNA" de-spree); fi
    post_bundle "$DE" "$f"
  done
  if [[ -n $GRANT ]]; then
    curl -sS --max-time 10 -o /dev/null -X DELETE -H "Authorization: Bearer $ANNA" "$APP_URL/api/grants/$GRANT" \
      || die "revoking the linking grant failed"
  fi
fi
