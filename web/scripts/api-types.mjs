// Generates src/api-types.ts, the API's types, from its OpenAPI document (which the API
// generates from its Rust types: `livestars-api --print-openapi`), with openapi-typescript.
//
//   node scripts/api-types.mjs [OPENAPI_JSON]          writes src/api-types.ts
//   node scripts/api-types.mjs --check [OPENAPI_JSON]  fails if src/api-types.ts is not
//                                                      what OPENAPI_JSON generates
//
// OPENAPI_JSON defaults to $LIVESTARS_OPENAPI, else ../target/openapi.json.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const checked = join(web, 'src/api-types.ts');
const args = process.argv.slice(2);
const check = args[0] === '--check';
const spec = resolve(args[check ? 1 : 0] ?? process.env.LIVESTARS_OPENAPI ?? join(web, '../target/openapi.json'));

if (!existsSync(spec)) {
  console.error(
    `error: no OpenAPI document at ${spec}.\n` +
      'Write the API\'s with `livestars-api --print-openapi > ../target/openapi.json`, or name one: ' +
      `npm run ${check ? 'check-api-types' : 'api-types'} -- path/to/openapi.json`,
  );
  process.exit(2);
}

/** Runs openapi-typescript on the document, writing `out`. */
function generate(out) {
  const cli = join(web, 'node_modules/openapi-typescript/bin/cli.js');
  const run = spawnSync(process.execPath, [cli, spec, '--output', out], { cwd: web, encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(`error: openapi-typescript failed on ${spec}:\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
}

if (!check) {
  generate(checked);
  console.log(`${relative(web, checked)} generated from ${spec}`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'livestars-api-types-'));
try {
  const fresh = join(dir, 'api-types.ts');
  generate(fresh);
  const want = readFileSync(fresh, 'utf8');
  const have = existsSync(checked) ? readFileSync(checked, 'utf8') : '';
  if (want !== have) {
    const wantLines = want.split('\n');
    const haveLines = have.split('\n');
    let line = 0;
    while (wantLines[line] === haveLines[line]) line += 1;
    console.error(
      `error: web/src/api-types.ts is out of date with the API's OpenAPI document (${spec}); ` +
        `first difference at line ${line + 1}:\n` +
        `  checked in: ${JSON.stringify(haveLines[line] ?? '(end of file)')}\n` +
        `  generated:  ${JSON.stringify(wantLines[line] ?? '(end of file)')}\n` +
        'Regenerate it with `npm run api-types -- path/to/openapi.json` (in web/), check that the client ' +
        'still type-checks (`npm run build`), and commit it.',
    );
    process.exit(1);
  }
  console.log(`web/src/api-types.ts is current with ${spec}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
