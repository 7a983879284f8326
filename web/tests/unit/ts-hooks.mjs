// Module hooks that let `node --test` import the client's TypeScript modules as shipped
// (src/*.ts, written for Vite): a relative import without an extension (`./api`), or
// with `.js`, finds the `.ts` file, and `.ts` files are transpiled with the project's
// TypeScript (types are only removed; `npm run build` type-checks them).
// Registered by register.mjs (`node --import ./tests/unit/register.mjs`).

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const relative = /^\.\.?\//;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !relative.test(specifier) || !context.parentURL?.endsWith('.ts')) throw error;
    const candidate = specifier.endsWith('.js') ? `${specifier.slice(0, -3)}.ts` : `${specifier}.ts`;
    return next(candidate, context);
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(path, 'utf8'), {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      isolatedModules: true,
      inlineSourceMap: true,
      inlineSources: true,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
