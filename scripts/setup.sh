#!/usr/bin/env bash
# One-time machine setup after `npm ci` (idempotent; `npm run setup`):
#   1. Debian packages: Jupyter for the notebooks (nbconvert/nbclient/ipykernel to execute
#      them, the classic notebook UI to work in them), Chromium for the briefing PDF and
#      browser checks, Noto CJK fonts for Chinese chart labels, poppler-utils (pdftotext)
#      for the test that the briefing PDF's text is searchable. Already-installed packages
#      are skipped; apt-get runs only when something is missing (needs root or sudo).
#   2. The tslab TypeScript kernel, registered against Debian's /usr/bin/python3 Jupyter in
#      the project-local prefix .jupyter/ (gitignored), and the notebook library
#      (notebooks/node_modules/yigongti) built — see scripts/notebooks/.
#   3. The engine build (dist/engine: the CLI and worker bundles, scripts/build/engine.mjs)
#      and the explorer's browser build (dist/explore, scripts/build/explore.mjs), ahead of
#      first use — the CLI would build them on first use anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  jupyter-core jupyter-client jupyter-nbconvert python3-nbclient python3-ipykernel  # execute notebooks
  jupyter-notebook                                                                  # interactive UI
  chromium                                                                          # briefing PDF, browser checks
  fonts-noto-cjk                                                                    # 中文 labels
  poppler-utils                                                                     # pdftotext: the briefing PDF's text is checked
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "setup: needs Debian/Ubuntu apt-get to install: ${missing[*]}" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "setup: run as root (or install sudo) to apt-get install: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present (${PACKAGES[*]})"
fi

if [ ! -d node_modules/tslab ]; then
  echo "setup: node_modules is missing — run \`npm ci\` first" >&2
  exit 1
fi
node scripts/build/engine.mjs            # the CLI's and the workers' compiled build (dist/engine; also built on first use)
node scripts/build/explore.mjs           # the explorer's browser build (dist/explore; also built on first use by yigongti explore)
node --import tsx scripts/notebooks/prepare.ts
