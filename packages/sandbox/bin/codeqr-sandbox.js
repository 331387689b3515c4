#!/usr/bin/env node
// Runs the sandbox from its TypeScript source (Node >= 22.18 strips types natively).
import { main } from '../src/cli.ts';

await main(process.argv.slice(2));
