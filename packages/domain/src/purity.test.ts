import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The domain runs in the browser and in every process; it may import only itself.
describe('domain purity', () => {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test'));

  it.each(sources)('%s imports nothing outside the package', (file) => {
    const text = readFileSync(`${dir}/${file}`, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    const dynamic = [...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    for (const spec of [...specifiers, ...dynamic]) expect(spec).toMatch(/^\.\//);
    expect(text).not.toMatch(/\bDate\.now\(|new Date\(\)|performance\.now|process\.|require\(/);
  });
});
