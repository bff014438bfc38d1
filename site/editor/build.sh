#!/bin/sh
# Rebuilds dist/ from the pinned packages in package-lock.json: the bundled
# editor and the licences of everything bundled into it. Run by
# "go generate ./site/editor" (make editor); needs Node.js and npm, and only
# when the editor's packages change.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts >/dev/null
mkdir -p dist
npx --no-install esbuild entry.js --bundle --minify --format=iife --target=es2020 \
	--legal-comments=none --metafile=dist/meta.json --outfile=dist/editor.js --log-level=warning
node licences.js dist/meta.json >dist/LICENSES.txt
rm dist/meta.json
