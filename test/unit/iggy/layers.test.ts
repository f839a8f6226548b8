import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints a snippet as if it were the file at `path`, with the repository's own config; answers the layer errors. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

// Loading the config (Next's plugins) takes seconds on a busy machine.
describe('the lib/iggy layer rule (eslint.config.mjs)', { timeout: 90_000 }, () => {
  it('fails a deep import into lib/iggy from the labs, the demo, the explorer, the API and scripts', async () => {
    const cases: [string, string][] = [
      ['lib/labs/x.ts', '@/lib/iggy/wire/constants'],
      ['lib/demo/x.ts', '../iggy/errors'],
      ['lib/explorer/x.ts', '@/lib/iggy/wire/user-headers'],
      ['lib/api/x.ts', '@/lib/iggy/client'],
      ['scripts/x.ts', '@/lib/iggy/wire/messages'],
      ['app/api/x/route.ts', '../../../lib/iggy/errors'],
    ];
    for (const [path, from] of cases) {
      const errors = await layerErrors(path, `import { a } from '${from}';\nexport const b = a;\n`);
      expect(errors, `${path} importing ${from}`).toHaveLength(1);
      expect(errors[0]).toContain("'@/lib/iggy'");
    }
  });

  it('lets those layers in through the index and the internal entry', async () => {
    const code =
      "import { nameFrame } from '@/lib/iggy';\nimport { HEADER_SIZE } from '@/lib/iggy/internal';\n" +
      'export const b = [nameFrame, HEADER_SIZE];\n';
    expect(await layerErrors('lib/labs/x.ts', code)).toEqual([]);
    expect(await layerErrors('lib/demo/x.ts', code)).toEqual([]);
  });

  const TYPE_IMPORT = "import type { FrameEvent } from '@/lib/iggy';\nexport type T = FrameEvent;\n";
  const VALUE_IMPORT = "import { nameFrame } from '@/lib/iggy';\nexport const b = nameFrame;\n";
  const DEEP_TYPE_IMPORT = "import type { T } from '@/lib/iggy/errors';\nexport type U = T;\n";

  it('lets pages and components import the client as types only', async () => {
    expect(await layerErrors('app/_components/x.tsx', TYPE_IMPORT)).toEqual([]);
    expect(await layerErrors('app/_components/x.tsx', VALUE_IMPORT)).toHaveLength(1);
    // A type-only import is still refused past the index.
    expect(await layerErrors('app/_components/x.tsx', DEEP_TYPE_IMPORT)).toHaveLength(1);
  });

  it('keeps the test server independent of the client, even for types', async () => {
    expect(await layerErrors('test/support/x.ts', TYPE_IMPORT)).toHaveLength(1);
  });

  it('leaves lib/iggy itself and the other tests free to reach any file', async () => {
    const code = "import { HEADER_SIZE } from '@/lib/iggy/wire/constants';\nexport const b = HEADER_SIZE;\n";
    expect(await layerErrors('lib/iggy/x.ts', code)).toEqual([]);
    expect(await layerErrors('test/unit/x.test.ts', code)).toEqual([]);
  });
});
