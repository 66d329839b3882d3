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

/** A Markdown table's cells, as GitHub splits them: at every pipe not escaped with a backslash. */
const cells = (row: string) =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/);

/** The rows, in tables outside code blocks, whose cell count differs from their header's. */
function brokenRows(text: string): string[] {
  const lines = text.replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, '')).split('\n');
  const broken: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith('|') || !/^\|[\s:|-]+\|$/.test(lines[i + 1].trim())) continue;
    const width = cells(lines[i]).length;
    let row = i + 1;
    for (; row < lines.length && lines[row].startsWith('|'); row++)
      if (cells(lines[row]).length !== width) broken.push(`line ${row + 1}: ${lines[row]}`);
    i = row;
  }
  return broken;
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

  it.each(DOCS)(
    '%s: every table row has as many cells as its header (a stray | splits one)',
    (file) => {
      expect(brokenRows(read(file))).toEqual([]);
    },
  );

  it('would notice a row split by an unescaped pipe', () => {
    const table = '| a | b |\n| --- | --- |\n| `x \\| y` | z |\n| `x | y` | z |\n';
    expect(brokenRows(`text\n\n${table}`)).toEqual(['line 6: | `x | y` | z |']);
  });

  it('the README configuration table lists every variable the app reads, and only those', () => {
    const section = read('README.md').split('## Configuration')[1].split('\n## ')[0];
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...KNOWN_VARIABLES].sort());
  });
});
