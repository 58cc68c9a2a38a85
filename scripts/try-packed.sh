#!/usr/bin/env bash
# Tries the packed kit as another project would: a fresh folder that installs the tarball beside a given pact-js,
# type-checks a program made of the README's examples with skipLibCheck false, compiles and runs it.
# Usage: scripts/try-packed.sh KIT.tgz PACT_VERSION [NODE_BIN_DIR]   (e.g. ... 17.1.4 /path/to/node24/bin)
set -euo pipefail
kit=$(realpath "$1") pact=$2
[ -n "${3:-}" ] && export PATH="$3:$PATH"
export PACT_DO_NOT_TRACK=true
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/vppkit-user-XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
echo '{ "name": "user-project", "version": "1.0.0", "private": true }' > package.json
npm install --no-audit --no-fund --save-exact "$kit" "@pact-foundation/pact@$pact" typescript@5.9.3 "@types/node@$(node -p 'process.versions.node.split(".")[0]')" @types/express@5.0.6 >/dev/null 2>&1
cp "$here/try-packed-example.ts" example.ts
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true,
  "skipLibCheck": false, "outDir": "out", "types": ["node"] }, "files": ["example.ts"] }
JSON
echo "Node $(node -v), pact-js $(node -p "require('@pact-foundation/pact/package.json').version"), skipLibCheck false"
npx tsc -p tsconfig.json
VPPKIT_METADATA="$here/../tests/drift/metadata/v1.0-vppToken.csdl.xml" node out/example.js
du -sh node_modules | sed 's/^/installed: /'
# The first command as a user types it (npx finds the installed bin); the rest call that bin straight, without
# npx's own half a second each.
npx vppkit openapi --out vpptokens.openapi.json
vppkit() { ./node_modules/.bin/vppkit "$@"; }
node -e "const d = require('./vpptokens.openapi.json'); if (d.openapi !== '3.1.0' || !d.paths['/beta/deviceAppManagement/vppTokens']) process.exit(1); console.log('vppkit openapi: OpenAPI', d.openapi)"
vppkit drift --metadata "$here/../tests/drift/metadata/v1.0-vppToken.csdl.xml" --profile v1.0 | tail -1
vppkit compare node_modules/vpptokens-contract-kit/pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json | tail -1
# Issue 19 from the command line: error bodies, pact folders and globs with one interaction and a header, conform's checks and budget.
vppkit generate --kind error --count 10 | vppkit validate --kind error - | tail -1
mkdir pacts && cp node_modules/vpptokens-contract-kit/pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json pacts/
vppkit verify 'pacts/*.json' --interaction 'only its token' --header 'X-Gateway-Key=k' | tail -1
vppkit conform --checks status,response-schema --max-requests 40 --seed 1 | head -1
