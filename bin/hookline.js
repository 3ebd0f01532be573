#!/usr/bin/env node
import { assertNodeVersion } from './check-node.js';

assertNodeVersion();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
