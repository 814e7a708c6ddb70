#!/usr/bin/env node
// `npm start` / `npm run chat`: compile only when a source changed since the last build.
// Loading the TypeScript compiler just to learn that nothing changed costs about a second,
// so compare modification times first (files and folders, so added or deleted files count too)
// and run the incremental `tsc -b` only when something is newer than its build info.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const project = path.join(root, 'tsconfig.build.json');
const buildInfo = path.join(root, 'dist', 'tsconfig.build.tsbuildinfo');

function newestMtime(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return entry.endsWith('.ts') || entry.endsWith('.json') ? stat.mtimeMs : 0;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

function upToDate() {
  if (!fs.existsSync(buildInfo) || !fs.existsSync(path.join(root, 'dist', 'src', 'main.js'))) return false;
  const built = fs.statSync(buildInfo).mtimeMs;
  const inputs = [path.join(root, 'src'), project, path.join(root, 'tsconfig.json')];
  return inputs.every((input) => newestMtime(input) <= built);
}

if (!upToDate()) {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-b', project], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc -b leaves its build info untouched when it finds nothing to emit; mark this check as done.
  if (fs.existsSync(buildInfo)) fs.utimesSync(buildInfo, new Date(), new Date());
}
