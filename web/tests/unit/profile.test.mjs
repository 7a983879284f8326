// The canonical JSON of a profile document, as a performer's browser builds it
// (src/profile.ts, shipped) and as the demo does (scripts/demo-profiles.mjs), is byte for
// byte the API's (indexer/src/profile.rs tests the same text), and both hash it to the
// same commitment: otherwise no commitment registered from a browser, or by the demo,
// would ever match.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical, commitment, presenceStatement, signalStatement, statement } from '../../src/profile.ts';
import * as demoProfiles from '../../scripts/demo-profiles.mjs';

const document = {
  stage_name: 'Lúa Nova',
  tags: ['music', 'chat'],
  bio: 'Piano and late-night talk.\nNo requests before 8.',
  languages: ['en', 'pt-BR'],
  schedule: 'Mon–Fri 20:00 UTC',
  age_range: '25-34',
};
const CANONICAL =
  '{"age_range":"25-34","avatar":null,"bio":"Piano and late-night talk.\\nNo requests before 8.","gender":null,"languages":["en","pt-BR"],"schedule":"Mon–Fri 20:00 UTC","stage_name":"Lúa Nova","tags":["music","chat"]}';
// blake2b-256 of CANONICAL's UTF-8 bytes, computed apart (Python's hashlib.blake2b, digest_size=32).
const COMMITMENT = '0xb2727170f9a129768654aac58fee9a045cddfacf0e2527a413e0e31bb4acbbab';

test('the canonical profile JSON sorts keys, fills nulls and adds no whitespace', () => {
  assert.equal(canonical(document), CANONICAL);
});

test('the commitment is the blake2-256 of the canonical JSON', () => {
  assert.equal(commitment(document), COMMITMENT);
  // Key order and absent keys make no difference; any field does.
  const shuffled = Object.fromEntries(Object.entries({ ...document, gender: null, avatar: null }).reverse());
  assert.equal(commitment(shuffled), COMMITMENT);
  assert.notEqual(commitment({ ...document, bio: `${document.bio} ` }), COMMITMENT);
});

test('the demo script builds the same canonical JSON and commitment as the shipped module', () => {
  assert.equal(demoProfiles.canonical(document), CANONICAL);
  assert.equal(demoProfiles.commitment(document), COMMITMENT);
  assert.deepEqual(demoProfiles.DEMO_NAMES, ['Bob', 'Charlie', 'Ferdie']);
  for (const name of demoProfiles.DEMO_NAMES) {
    const demo = demoProfiles.demo(name);
    assert.match(demo.document.avatar, /^0x[0-9a-f]{64}$/, name);
    assert.equal(demoProfiles.canonical(demo.document), canonical(demo.document), name);
    assert.equal(demo.commitment, commitment(demo.document), name);
  }
});

test('the statements a wallet signs are word for word what the API checks', () => {
  const genesis = `0x${'ab'.repeat(32)}`;
  const account = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
  assert.equal(
    statement('publish', genesis, account, COMMITMENT),
    `livestars: publish my profile\nchain: ${genesis}\naccount: ${account}\nprofile: ${COMMITMENT}`,
  );
  assert.equal(statement('withdraw', genesis, account, COMMITMENT).split('\n')[0], 'livestars: withdraw my profile');
  assert.equal(
    presenceStatement(genesis, account, 1_700_000_000_000, 1_700_014_400_000),
    `livestars: online until 1700014400000\nchain: ${genesis}\naccount: ${account}\nsigned at: 1700000000000`,
  );
  // What the browser test's stranger signs by hand to be refused by the relay.
  assert.equal(
    signalStatement('https://livestars.example', genesis, 7, '0x01'),
    `livestars: signal show 7\norigin: https://livestars.example\nchain: ${genesis}\nnonce: 0x01`,
  );
});
