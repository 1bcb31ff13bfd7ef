#!/usr/bin/env bash
# Runs pixelprep's benchmark suite on a GPU host.
#
# Needs only Node.js >= 20, npm, a GPU with its driver, and one GPU backend:
#   - tensorflow: @tensorflow/tfjs-node-gpu (CUDA + cuDNN as TensorFlow 2.x needs;
#     its install downloads libtensorflow, so the host needs network access once), or
#   - webgpu: the `webgpu` package (Dawn) with a Vulkan, Metal or D3D12 driver.
# The package is added (npm install --no-save) when missing. python3/numpy and the
# wasm backend are optional: the suite skips what is absent and says why.
#
# Usage:
#   benchmarks/gpu-host.sh [--backend tensorflow|webgpu] [--dry-run] [bench options...]
#   benchmarks/gpu-host.sh --quick
#   benchmarks/gpu-host.sh --backend webgpu --sizes 224,512 --batches 8,32,128
# Reports go to benchmarks/results/gpu-<hostname>/ (or $PIXELPREP_BENCH_OUT):
# latest.json, latest.md, latest.svg. The cpu backend runs too, for the ratios.
set -euo pipefail

cd "$(dirname "$0")/.."

backend=""
dry_run=0
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend="${2:?--backend needs tensorflow or webgpu}"; shift 2 ;;
    --backend=*) backend="${1#--backend=}"; shift ;;
    --dry-run) dry_run=1; shift ;;
    *) bench_args+=("$1"); shift ;;
  esac
done

run() {
  echo "+ $*" >&2
  if [[ $dry_run -eq 0 ]]; then "$@"; fi
}

fail() {
  echo "gpu-host.sh: $*" >&2
  exit 1
}

command -v node >/dev/null || fail "Node.js >= 20 is required (node not found)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[[ $node_major -ge 20 ]] || fail "Node.js >= 20 is required (found $(node --version))"

# Pick the GPU backend: CUDA when nvidia-smi sees a GPU, else WebGPU.
if [[ -z $backend ]]; then
  if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then backend=tensorflow; else backend=webgpu; fi
fi
case "$backend" in
  tensorflow) packages=("@tensorflow/tfjs-node-gpu@4.22.0"); probe="@tensorflow/tfjs-node-gpu" ;;
  webgpu) packages=("webgpu@0.6.2" "@tensorflow/tfjs-backend-webgpu@4.22.0"); probe="webgpu" ;;
  *) fail "expected --backend tensorflow or webgpu but received '$backend'" ;;
esac
echo "gpu-host.sh: GPU backend '$backend'" >&2
if command -v nvidia-smi >/dev/null; then nvidia-smi -L >&2 || true; fi

[[ -d node_modules ]] || run npm ci
if ! node -e "import('$probe').then(() => process.exit(0), () => process.exit(1))" 2>/dev/null; then
  run npm install --no-save "${packages[@]}"
fi
run npm run build

out="${PIXELPREP_BENCH_OUT:-benchmarks/results/gpu-$(hostname -s 2>/dev/null || echo host)}"
run node dist/cli/main.js bench --backends "$backend,cpu" --out "$out" "${bench_args[@]}"
echo "gpu-host.sh: reports in $out" >&2
