#!/usr/bin/env bash
# Rebuild the vendored front-end assets in static/vendor/ from pinned npm packages.
#
# Developer-only: run it by hand when upgrading a package, then review and commit the
# result. It is never run at run time or in CI; the app serves the committed files.
#
#   bash scripts/build_frontend.sh
#
# Needs node/npm and the npm registry. All npm work happens in a temporary directory,
# so no node_modules or package.json is left in the repository.
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.6.0"
SASS_VERSION="1.108.2"
HTMX_VERSION="4.0.1"
AXE_CORE_VERSION="4.14.1"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$REPO_ROOT/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is required"

# --- install pinned packages in the temp dir ---------------------------------------
log "Installing pinned packages in $WORK"
cd "$WORK"
printf '{ "name": "csp-tracker-frontend-build", "private": true }\n' > package.json
npm install --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" \
  "sass@$SASS_VERSION" \
  "htmx.org@$HTMX_VERSION" \
  "axe-core@$AXE_CORE_VERSION"

GOVUK="$WORK/node_modules/govuk-frontend"
HTMX="$WORK/node_modules/htmx.org"
AXE="$WORK/node_modules/axe-core"

# Check npm gave us exactly the pinned versions.
check_version() { # dir expected
  local got
  got="$(node -p "require('$1/package.json').version")"
  [[ "$got" == "$2" ]] || die "$1: expected version $2, got $got"
}
check_version "$GOVUK" "$GOVUK_FRONTEND_VERSION"
check_version "$WORK/node_modules/sass" "$SASS_VERSION"
check_version "$HTMX" "$HTMX_VERSION"
check_version "$AXE" "$AXE_CORE_VERSION"

# --- 1. GOV.UK Frontend: compile once with Dart Sass --------------------------------
# Arial instead of GDS Transport (so no @font-face and no font files), assets under
# /static/vendor/govuk-frontend/assets/. Image URLs resolve to `none`: the only image
# the CSS uses is the Royal Arms crest (footer .govuk-footer__copyright-logo), which we
# do not ship, and a url() to a missing file would also break Django's
# ManifestStaticFilesStorage during collectstatic.
log "Compiling govuk-frontend $GOVUK_FRONTEND_VERSION with sass $SASS_VERSION"
cat > _no-images.scss <<'SCSS'
// Used as $govuk-image-url-function: never reference an image file.
@function image-url($filename) {
  @return none;
}
SCSS
cat > govuk-frontend.scss <<'SCSS'
@use "sass:meta";
@use "no-images";
@use "pkg:govuk-frontend" with (
  $govuk-font-family: (arial, sans-serif),
  $govuk-assets-path: "/static/vendor/govuk-frontend/assets/",
  $govuk-image-url-function: meta.get-function("image-url", $module: "no-images")
);
SCSS
npx --no-install sass --pkg-importer=node --style=compressed --no-source-map \
  govuk-frontend.scss govuk-frontend.min.css

# The compiled CSS must not load the GDS Transport font or any image file.
if grep -Eiq 'GDS Transport|@font-face|\.woff|/fonts/|crest|url\(' govuk-frontend.min.css; then
  grep -Eio '.{60}(GDS Transport|@font-face|\.woff|/fonts/|crest|url\().{60}' govuk-frontend.min.css >&2 || true
  die "compiled govuk-frontend CSS references a font or image file"
fi

# --- write static/vendor/ ------------------------------------------------------------
log "Writing $VENDOR"
rm -rf "$VENDOR/govuk-frontend" "$VENDOR/htmx" "$VENDOR/axe"
mkdir -p "$VENDOR/govuk-frontend" "$VENDOR/htmx" "$VENDOR/axe"

# GOV.UK Frontend. No assets/ folder: assets/fonts is GDS Transport (never shipped) and
# every file in assets/images is the crown or the Royal Arms (favicons, app icons,
# opengraph image, crest); assets/manifest.json only lists those icons.
# The .min.js is byte-identical to the package's; its trailing sourceMappingURL comment
# names a .map we do not ship (only browser devtools ever request it).
cp govuk-frontend.min.css "$VENDOR/govuk-frontend/govuk-frontend.min.css"
cp "$GOVUK/dist/govuk/govuk-frontend.min.js" "$VENDOR/govuk-frontend/govuk-frontend.min.js"
# The npm package has no licence file (package.json says MIT; README says the code is
# MIT and the documentation Crown copyright / OGL v3). This is the repository's LICENSE.txt.
cat > "$VENDOR/govuk-frontend/LICENSE.txt" <<'LICENSE'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENSE

# --- 2. htmx ----------------------------------------------------------------------------
cp "$HTMX/dist/htmx.min.js" "$VENDOR/htmx/htmx.min.js"
cp "$HTMX/LICENSE" "$VENDOR/htmx/LICENSE"

# --- 3. axe-core (browser tests only) ------------------------------------------------------
cp "$AXE/axe.min.js" "$VENDOR/axe/axe.min.js"
cp "$AXE/LICENSE" "$VENDOR/axe/LICENSE"
cp "$AXE/LICENSE-3RD-PARTY.txt" "$VENDOR/axe/LICENSE-3RD-PARTY.txt"

# --- 4. VERSIONS.md ----------------------------------------------------------------------
cat > "$VENDOR/VERSIONS.md" <<EOF
# Vendored front-end assets

Generated by \`bash scripts/build_frontend.sh\` (developer-only, run when upgrading; never
at run time or in CI). Do not edit these files by hand: change the pinned versions in the
script and re-run it.

| package | version | files | licence | how it was built |
| --- | --- | --- | --- | --- |
| govuk-frontend (npm) | $GOVUK_FRONTEND_VERSION | \`govuk-frontend/govuk-frontend.min.css\`, \`govuk-frontend/govuk-frontend.min.js\`, \`govuk-frontend/LICENSE.txt\` | MIT (Crown Copyright, GDS) | CSS compiled once with Dart Sass (npm \`sass\` $SASS_VERSION): \`@use "pkg:govuk-frontend" with (\$govuk-font-family: (arial, sans-serif), \$govuk-assets-path: "/static/vendor/govuk-frontend/assets/", \$govuk-image-url-function: <returns none>)\`, \`sass --pkg-importer=node --style=compressed --no-source-map\`. No GDS Transport font, no images (all are crown/Royal Arms), no \`assets/\` folder. JS (ES module, \`initAll()\`) copied unchanged from \`dist/govuk/\`. The npm package ships no licence file; LICENSE.txt is the upstream MIT text. |
| htmx.org (npm) | $HTMX_VERSION | \`htmx/htmx.min.js\`, \`htmx/LICENSE\` | 0BSD | Copied unchanged from \`dist/htmx.min.js\`. |
| axe-core (npm) | $AXE_CORE_VERSION | \`axe/axe.min.js\`, \`axe/LICENSE\`, \`axe/LICENSE-3RD-PARTY.txt\` | MPL-2.0 | Copied unchanged from \`axe.min.js\`. Browser tests only (injected with \`page.evaluate\`); never served to users. |

Notes:
- govuk-frontend: do not use the class \`govuk-footer__copyright-logo\` (its Royal Arms
  image is compiled out, so it would render as a blank 112px block filled with
  currentcolor).
- htmx 4 adds its \`.htmx-indicator\` rules through a constructable stylesheet
  (\`new CSSStyleSheet()\` + \`document.adoptedStyleSheets\`), not a \`<style>\` element.
  Turn it off with \`<meta name="htmx-config" content='{"includeIndicatorCSS": false}'>\`
  placed before the htmx script (the config is read when the script runs). \`hx-on:*\`,
  \`js:\` values and \`[...]\` trigger filters compile code with \`Function\`, which a CSP
  without \`'unsafe-eval'\` blocks: do not use them.
EOF

log "Done:"
(cd "$REPO_ROOT" && find static/vendor -type f | LC_ALL=C sort | xargs sha256sum)
