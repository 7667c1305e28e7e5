#!/usr/bin/env node
/** `figment …` (see services/figmentd/cli/runCli.ts); `npm run figment -- doctor` in a checkout. */
import { runCli } from '../services/figmentd/cli/runCli.js';

process.exitCode = await runCli(process.argv.slice(2));
