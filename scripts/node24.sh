# Puts Node.js 24 first on PATH when the machine's own Node is older.
# Source it (". scripts/node24.sh") so the PATH change stays in your shell;
# .ci/run does the same. It installs the npm registry's node@24 package (a real
# Node 24 binary) under ~/.cache/node24 once, and does nothing where Node >= 24 is
# already first on PATH.
hookline_node24_dir="${HOOKLINE_NODE24_DIR:-$HOME/.cache/node24}"
hookline_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(hookline_node_major)" -lt 24 ]; then
  if [ ! -x "$hookline_node24_dir/node_modules/.bin/node" ]; then
    echo "node24.sh: installing Node.js 24 into $hookline_node24_dir (one time)…" >&2
    npm install --silent --no-audit --no-fund --prefix "$hookline_node24_dir" node@24 >&2 ||
      echo "node24.sh: could not install node@24 from the npm registry" >&2
  fi
  export PATH="$hookline_node24_dir/node_modules/.bin:$PATH"
fi
echo "node24.sh: using Node.js $(node --version) from $(command -v node)" >&2
unset -f hookline_node_major
unset hookline_node24_dir
