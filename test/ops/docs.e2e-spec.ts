import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { KNOWN_VARIABLES } from '../support/app-config';

const ROOT = join(__dirname, '..', '..');
const DOCS = [
  'README.md',
  'test/README.md',
  ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`),
].filter((f) => f.endsWith('.md'));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function links(file: string): string[] {
  const text = read(file).replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

describe('the documentation stands alone', () => {
  it('the README is what a newcomer reads first: under 250 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThan(250);
  });

  it.each(DOCS)(
    '%s links only to files in the repository (and their headings) or public https sites',
    (file) => {
      for (const link of links(file)) {
        if (/^https:\/\//.test(link)) {
          expect(link).not.toMatch(/^https:\/\/(localhost|127\.|\[::1\])/);
          continue;
        }
        expect([link, /^[a-z]+:/i.test(link)]).toEqual([link, false]); // no http:, file:, mailto:
        const [path, hash] = link.split('#');
        const target = path === '' ? file : normalize(join(dirname(file), path));
        expect([link, relative(ROOT, join(ROOT, target)).startsWith('..')]).toEqual([link, false]);
        expect([link, existsSync(join(ROOT, target))]).toEqual([link, true]);
        if (hash && target.endsWith('.md')) {
          const headings = [...read(target).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]));
          expect([link, headings.includes(hash)]).toEqual([link, true]);
        }
      }
    },
  );

  it('the README configuration table lists every variable the app reads, and only those', () => {
    const section = read('README.md').split('## Configuration')[1].split('\n## ')[0];
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...KNOWN_VARIABLES].sort());
  });
});
