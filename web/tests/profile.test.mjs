// The canonical JSON of a profile document, as the demo (and a performer's browser)
// builds it, is byte for byte the API's (indexer/src/profile.rs tests the same text):
// otherwise no commitment registered from a browser would ever match.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical } from '../scripts/demo-profiles.mjs';

test('the canonical profile JSON sorts keys, fills nulls and adds no whitespace', () => {
  const document = {
    stage_name: 'Lúa Nova',
    tags: ['music', 'chat'],
    bio: 'Piano and late-night talk.\nNo requests before 8.',
    languages: ['en', 'pt-BR'],
    schedule: 'Mon–Fri 20:00 UTC',
    age_range: '25-34',
  };
  assert.equal(
    canonical(document),
    '{"age_range":"25-34","avatar":null,"bio":"Piano and late-night talk.\\nNo requests before 8.","gender":null,"languages":["en","pt-BR"],"schedule":"Mon–Fri 20:00 UTC","stage_name":"Lúa Nova","tags":["music","chat"]}',
  );
});
