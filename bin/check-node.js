// Plain JavaScript on purpose: it must run, and explain itself, on any old Node.
// Hookline runs TypeScript through Node 24's type stripping; an older Node would fail
// with a confusing syntax error instead.
const required = 24;
const major = Number(process.versions.node.split('.')[0]);

export function assertNodeVersion() {
  if (major < required) {
    process.stderr.write(
      `Hookline needs Node.js ${required} or newer, but this is Node.js ${process.versions.node} (${process.execPath}).\n` +
        `Put Node.js ${required} first on PATH, e.g. run ". scripts/node24.sh" in the repository, then try again.\n`,
    );
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) assertNodeVersion();
