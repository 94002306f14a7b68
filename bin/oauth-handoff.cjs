#!/usr/bin/env node
'use strict';
// The executable. `token` runs in every script call, so it has a start-up path
// of its own: one CommonJS bundle (src/fast-token.ts → dist/fast-token.cjs) that
// loads neither yargs nor axios nor libsodium nor the ESM loader. Everything
// else goes to the yargs CLI (src/cli.ts).
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const argv = process.argv.slice(2);
const fast = require('../dist/fast-token.cjs').fastToken(argv);
const run = fast || import(pathToFileURL(join(__dirname, '../dist/src/cli.js')).href).then((cli) => cli.runCli(argv));
run.then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`oauth-handoff: error: ${(e && e.message) || e}\n`);
    process.exitCode = 1;
  },
);
