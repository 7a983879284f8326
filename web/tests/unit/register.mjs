// `node --import ./tests/unit/register.mjs`: installs ts-hooks.mjs before the tests load.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
