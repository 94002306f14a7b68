/**
 * Every YAML block in the docs parses with a real YAML parser, and every GitHub
 * Actions workflow among them passes GitHub's own workflow parser
 * (@actions/workflow-parser: the schema the Actions service checks). The
 * recipes install the version of oauth-handoff this repository is.
 */
import test from 'ava';
import { build } from 'esbuild';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { blocksOf, docFiles } from './blocks.js';
import type { CodeBlock } from './blocks.js';

async function yamlBlocks(): Promise<CodeBlock[]> {
  const out: CodeBlock[] = [];
  for (const file of await docFiles(ROOT)) for (const b of await blocksOf(ROOT, file)) if (b.lang === 'yaml' || b.lang === 'yml') out.push(b);
  return out;
}

const isWorkflow = (doc: unknown): boolean => typeof doc === 'object' && doc !== null && 'jobs' in doc && 'on' in doc;

interface WorkflowParser {
  parseWorkflow(file: { name: string; content: string }, trace: unknown): { context: { errors: { getErrors(): { message: string }[] } } };
  NoOperationTraceWriter: new () => unknown;
}

/** The parser is published for bundlers (it imports JSON without attributes): bundle it once, next to node_modules so `yaml` resolves. */
async function workflowParser(): Promise<WorkflowParser> {
  const dir = join(ROOT, 'node_modules', '.cache', 'oauth-handoff-tests');
  await mkdir(dir, { recursive: true });
  const outfile = join(dir, 'workflow-parser.mjs');
  await build({ stdin: { contents: "export * from '@actions/workflow-parser';", resolveDir: ROOT }, bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'error', external: ['yaml'] });
  return (await import(pathToFileURL(outfile).href)) as WorkflowParser;
}

test('the docs hold YAML recipes, in English and Japanese alike', async (t) => {
  const blocks = await yamlBlocks();
  t.true(blocks.length >= 4, `found ${blocks.length}`);
  // the same documents: comments may be translated, keys and values may not
  const data = (b: CodeBlock): unknown[] => parseAllDocuments(b.code).map((d) => ('toJS' in d ? d.toJS() : undefined));
  const en = blocks.filter((b) => !b.file.startsWith('docs/ja/')).map(data);
  const ja = blocks.filter((b) => b.file.startsWith('docs/ja/')).map(data);
  t.deepEqual(ja, en, 'the Japanese docs show the same recipes');
});

test('every YAML block parses without error', async (t) => {
  for (const b of await yamlBlocks()) {
    const errors = parseAllDocuments(b.code).flatMap((d) => ('errors' in d ? d.errors.map((e) => e.message) : []));
    t.deepEqual(errors, [], `${b.file}:${b.line}`);
  }
});

test("every GitHub Actions workflow passes GitHub's workflow parser", async (t) => {
  const { parseWorkflow, NoOperationTraceWriter } = await workflowParser();
  let workflows = 0;
  for (const b of await yamlBlocks()) {
    const doc = parseAllDocuments(b.code)[0];
    if (!doc || !('toJS' in doc) || !isWorkflow(doc.toJS())) continue;
    workflows++;
    const r = parseWorkflow({ name: `${b.file}:${b.line}`, content: b.code }, new NoOperationTraceWriter());
    t.deepEqual(r.context.errors.getErrors().map((e) => e.message), [], `${b.file}:${b.line}`);
  }
  t.true(workflows >= 2, `found ${workflows} workflows`);
  // the parser does find what GitHub rejects (the recipe's old mistake: an unquoted ": " in a plain scalar)
  const broken = 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -H "Authorization: Bearer x" y\n';
  t.true(parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter()).context.errors.getErrors().length > 0);
});

test('the recipes pin the version of oauth-handoff this repository is, and a current Node', async (t) => {
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const b of await yamlBlocks()) {
    for (const m of b.code.matchAll(/npm install -g oauth-handoff(\S*)/g)) t.is(m[1], `@${version}`, `${b.file}:${b.line}`);
    for (const m of b.code.matchAll(/node-version: (\d+)|image: node:(\d+)/g)) t.true(Number(m[1] ?? m[2]) >= 22, `${b.file}:${b.line}: Node ${m[1] ?? m[2]}`);
  }
});
