#!/usr/bin/env bash
# pixelprep GPU host kit: one command from a bare Linux x64 host with a GPU
# driver to correctness checks and benchmark numbers. Needs nothing else: the
# kit carries its Node, its packages and (as a fallback) a Vulkan loader.
#
#   tar xf gpu-kit.tar.xz && gpu-kit/run.sh [--quick]
#
# Steps: find the Vulkan loader (libvulkan.so.1) and driver ICD (nvidia_icd.json
# first), print the adapter, run the webgpu correctness checks, then the
# benchmark grid, all before a wall-clock deadline. Results (check.json,
# bench.json, bench.md, bench.svg, run.log) go to gpu-kit/results/.
set -uo pipefail

KIT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NODE="$KIT/bin/node"

usage() {
  cat <<'USAGE'
usage: gpu-kit/run.sh [options] [-- bench options]

  --quick             small grid (batches 1, 8, 32 of 224² uint8); budget 110 s
  --budget SECONDS    wall-clock budget for everything (default 420, quick 110);
                      measurements that would overrun it are skipped and listed
  --vulkan-lib DIR    folder holding libvulkan.so.1 (e.g. from an unpacked libvulkan1 .deb:
                      dpkg-deb -x libvulkan1_*.deb /tmp/vk; --vulkan-lib /tmp/vk/usr/lib/x86_64-linux-gnu)
  --tfjs-node DIR     an installed @tensorflow/tfjs-node-gpu (its package folder, or the
                      node_modules folder holding it) to run the tensorflow lane too;
                      NODE_PATH is searched when this is not given
  --bandwidth GBs     the GPU's memory bandwidth, when the datasheet table does not know it
  --out DIR           results folder (default gpu-kit/results)
  --adapter-only      find Vulkan, print the adapter, stop
  --no-check          skip the correctness checks
  --no-bench          skip the benchmark
  -h, --help          this text
  -- ARGS             passed to kit/bench.mjs (e.g. -- --batches 32,256 --sizes 512)

Environment: VK_DRIVER_FILES / VK_ICD_FILENAMES (ICD files to use, checked to exist),
LD_LIBRARY_PATH (searched for libvulkan.so.1), NODE_PATH (searched for tfjs-node-gpu).
For tests of the messages: PIXELPREP_KIT_LIB_DIRS and PIXELPREP_KIT_ICD_DIRS replace the
standard folders searched for the loader (ldconfig included) and for ICD files.
Exit status: 0 all good; 1 a correctness check failed; 2 no WebGPU adapter;
3 Vulkan loader or ICD missing; 64 bad arguments.
USAGE
}

quick=0 budget="" vulkan_lib="" tfjs_node="" out="$KIT/results" bandwidth="" adapter_only=0 do_check=1 do_bench=1
bench_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --budget) budget="${2:-}"; shift ;;
    --vulkan-lib) vulkan_lib="${2:-}"; shift ;;
    --tfjs-node) tfjs_node="${2:-}"; shift ;;
    --bandwidth) bandwidth="${2:-}"; shift ;;
    --out) out="${2:-}"; shift ;;
    --adapter-only) adapter_only=1 ;;
    --no-check) do_check=0 ;;
    --no-bench) do_bench=0 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; bench_args=("$@"); break ;;
    *) echo "run.sh: expected an option from --help but received '$1'" >&2; exit 64 ;;
  esac
  shift
done
[[ -z $budget ]] && budget=$((quick ? 110 : 420))
if ! [[ $budget =~ ^[0-9]+$ ]] || ((budget < 20)); then
  echo "run.sh: expected --budget to be a whole number of seconds ≥ 20 but received '$budget'" >&2
  exit 64
fi
started=$(date +%s)
deadline=$((started + budget))

mkdir -p "$out" || { echo "run.sh: cannot create the results folder $out" >&2; exit 64; }
out=$(cd "$out" && pwd)
exec > >(tee "$out/run.log") 2>&1

say() { echo "run.sh: $*"; }
fail() {
  local status=$1
  shift
  say "ERROR: $*"
  exit "$status"
}

say "pixelprep GPU kit $(sed -n 's/.*"commit": "\(.*\)".*/\1/p' "$KIT/KIT.json" 2>/dev/null) on $(uname -srm), $(date -u +%FT%TZ); budget ${budget} s"
"$NODE" --version >/dev/null 2>&1 ||
  fail 3 "the kit's Node ($NODE) does not run here: it needs Linux x86-64 with glibc ≥ 2.28 (this host: $(uname -m), $(ldd --version 2>&1 | head -1))"
say "node: $NODE $("$NODE" --version)"
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [[ -n $glibc ]]; then
  IFS=. read -r glibc_major glibc_minor _ <<<"$glibc"
  if ((glibc_major < 2 || (glibc_major == 2 && glibc_minor < 34))); then
    say "WARNING: glibc $glibc: Dawn (the webgpu package) needs glibc ≥ 2.34 and libstdc++ with GLIBCXX_3.4.30; the webgpu lane will fail to load"
  else
    say "glibc: $glibc"
  fi
fi

# --- the GPU as its driver sees it ---------------------------------------
gpu_name=""
smi=$(command -v nvidia-smi || { [[ -x /usr/local/nvidia/bin/nvidia-smi ]] && echo /usr/local/nvidia/bin/nvidia-smi; } || true)
if [[ -n $smi ]]; then
  if gpus=$("$smi" --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1); then
    while IFS= read -r line; do say "nvidia-smi: $line"; done <<<"$gpus"
    gpu_name=$(echo "$gpus" | head -1 | cut -d, -f1)
    export PIXELPREP_KIT_GPU_NAME="$gpu_name"
  else
    say "nvidia-smi found but failed: $(echo "$gpus" | head -1)"
  fi
elif [[ -r /proc/driver/nvidia/version ]]; then
  say "NVIDIA driver: $(head -1 /proc/driver/nvidia/version)"
else
  say "no nvidia-smi and no /proc/driver/nvidia: no NVIDIA driver visible (another vendor's GPU, or software Vulkan)"
fi

# --- the Vulkan loader: libvulkan.so.1 ------------------------------------
split_path() { tr ':' '\n' <<<"${1:-}" | sed '/^$/d'; }
lib_dirs=()
[[ -n $vulkan_lib ]] && lib_dirs+=("$vulkan_lib")
while IFS= read -r d; do lib_dirs+=("$d"); done < <(split_path "${LD_LIBRARY_PATH:-}")
if [[ -n ${PIXELPREP_KIT_LIB_DIRS:-} ]]; then
  while IFS= read -r d; do lib_dirs+=("$d"); done < <(split_path "$PIXELPREP_KIT_LIB_DIRS")
else
  lib_dirs+=(/usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /lib64 /usr/lib /usr/local/lib)
fi
if [[ -n $vulkan_lib && ! -e $vulkan_lib/libvulkan.so.1 ]]; then
  fail 3 "libvulkan.so.1 not found in --vulkan-lib $vulkan_lib ($(ls "$vulkan_lib" 2>/dev/null | grep -c . || echo 0) files there; a libvulkan1 .deb unpacks it under usr/lib/x86_64-linux-gnu)"
fi
loader="" loader_from=""
for d in "${lib_dirs[@]}"; do
  if [[ -e $d/libvulkan.so.1 ]]; then loader="$d/libvulkan.so.1" loader_from="found in $d"; break; fi
done
if [[ -z $loader && -z ${PIXELPREP_KIT_LIB_DIRS:-} ]]; then
  cached=$({ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | sed -n 's/.*libvulkan\.so\.1 (libc6,x86-64) => //p' | head -1)
  [[ -n $cached ]] && loader=$cached loader_from="from the ldconfig cache"
fi
if [[ -z $loader && -e $KIT/vulkan/lib/libvulkan.so.1 ]]; then
  loader="$KIT/vulkan/lib/libvulkan.so.1" loader_from="the kit's own copy (the host has none)"
fi
if [[ -z $loader ]]; then
  fail 3 "libvulkan.so.1 (the Vulkan loader) not found: searched ${lib_dirs[*]}${PIXELPREP_KIT_LIB_DIRS:+ (PIXELPREP_KIT_LIB_DIRS)}$([[ -z ${PIXELPREP_KIT_LIB_DIRS:-} ]] && echo ' and the ldconfig cache'), and the kit carries none. Install libvulkan1, or unpack its .deb and pass --vulkan-lib DIR"
fi
say "vulkan loader: $loader ($loader_from)"
export LD_LIBRARY_PATH="$(dirname "$loader")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [[ -d $d && ":$LD_LIBRARY_PATH:" != *":$d:"* ]] && LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$d"
done

# --- the driver: Vulkan ICD files ----------------------------------------
check_icd_library() { # warns when the library an ICD file names cannot be found
  local json=$1 lib
  lib=$(sed -n 's/.*"library_path"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$json" | head -1)
  [[ -z $lib ]] && { say "WARNING: $json names no library_path"; return; }
  if [[ $lib == /* || $lib == */* ]]; then
    [[ $lib != /* ]] && lib="$(dirname "$json")/$lib"
    [[ -e $lib ]] && say "  $json -> $lib" || say "WARNING: $json names $lib, which does not exist"
    return
  fi
  local d
  while IFS= read -r d; do
    [[ -e $d/$lib ]] && { say "  $json -> $d/$lib"; return; }
  done < <(split_path "$LD_LIBRARY_PATH"; printf '%s\n' /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib)
  if { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q " $lib "; then say "  $json -> $lib (ldconfig cache)"; return; fi
  say "WARNING: $json names $lib, which was found neither in LD_LIBRARY_PATH nor by ldconfig: the loader will skip this driver (in a container, the NVIDIA runtime mounts it only with NVIDIA_DRIVER_CAPABILITIES including 'graphics')"
}
if [[ -n ${VK_DRIVER_FILES:-} || -n ${VK_ICD_FILENAMES:-} ]]; then
  var=$([[ -n ${VK_DRIVER_FILES:-} ]] && echo VK_DRIVER_FILES || echo VK_ICD_FILENAMES)
  files=${!var}
  while IFS= read -r f; do
    [[ -e $f ]] || fail 3 "ICD file $f (from $var) not found"
    if [[ -f $f ]]; then check_icd_library "$f"; fi
  done < <(split_path "$files")
  export VK_DRIVER_FILES="$files" VK_ICD_FILENAMES="$files"
  say "vulkan ICD: $files (from $var)"
else
  icd_dirs=()
  if [[ -n ${PIXELPREP_KIT_ICD_DIRS:-} ]]; then
    while IFS= read -r d; do icd_dirs+=("$d"); done < <(split_path "$PIXELPREP_KIT_ICD_DIRS")
  else
    icd_dirs=(/usr/local/nvidia/share/vulkan/icd.d /usr/local/nvidia/etc/vulkan/icd.d /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d /usr/local/etc/vulkan/icd.d /etc/xdg/vulkan/icd.d)
  fi
  found=() nvidia=""
  for d in "${icd_dirs[@]}"; do
    for f in "$d"/*.json; do
      [[ -f $f ]] || continue
      found+=("$f")
      [[ -z $nvidia && $(basename "$f") == nvidia_icd*.json ]] && nvidia=$f
    done
  done
  if ((${#found[@]} == 0)); then
    fail 3 "no Vulkan ICD file (the driver's *.json): VK_DRIVER_FILES and VK_ICD_FILENAMES are unset and ${icd_dirs[*]} hold none; the NVIDIA driver's nvidia_icd.json was not found (in a container, NVIDIA_DRIVER_CAPABILITIES must include 'graphics'). Point VK_DRIVER_FILES at it"
  fi
  say "vulkan ICD files found: ${found[*]}"
  if [[ -n $nvidia ]]; then
    export VK_DRIVER_FILES="$nvidia" VK_ICD_FILENAMES="$nvidia"
    say "vulkan ICD: $nvidia (run.sh set VK_DRIVER_FILES to it)"
    check_icd_library "$nvidia"
  else
    say "vulkan ICD: no nvidia_icd.json; the loader picks from the files above"
    for f in "${found[@]}"; do check_icd_library "$f"; done
    [[ -n $gpu_name ]] && say "WARNING: nvidia-smi sees '$gpu_name' but no nvidia_icd.json was found: WebGPU will not use it"
  fi
fi
say "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"

# --- tensorflow lane: an installed tfjs-node-gpu ---------------------------
node_flags=()
check_lanes=webgpu
linked=""
find_tfjs_node() { # prints the package folder of tfjs-node-gpu (or tfjs-node) under $1, if any
  local base=$1 name
  for name in tfjs-node-gpu tfjs-node; do
    [[ -f $base/package.json && $(sed -n 's/.*"name": *"\([^"]*\)".*/\1/p' "$base/package.json" | head -1) == "@tensorflow/$name" ]] && { echo "$base"; return; }
    [[ -f $base/@tensorflow/$name/package.json ]] && { echo "$base/@tensorflow/$name"; return; }
    [[ -f $base/node_modules/@tensorflow/$name/package.json ]] && { echo "$base/node_modules/@tensorflow/$name"; return; }
  done
}
tfjs_pkg=""
if [[ -n $tfjs_node ]]; then
  tfjs_pkg=$(find_tfjs_node "$tfjs_node")
  [[ -z $tfjs_pkg ]] && fail 64 "no @tensorflow/tfjs-node-gpu or tfjs-node package in --tfjs-node $tfjs_node"
else
  while IFS= read -r d; do
    tfjs_pkg=$(find_tfjs_node "$d")
    [[ -n $tfjs_pkg ]] && break
  done < <(split_path "${NODE_PATH:-}")
fi
if [[ -n $tfjs_pkg ]]; then
  tfjs_pkg=$(cd "$tfjs_pkg" && pwd)
  name=$(basename "$tfjs_pkg")
  linked="$KIT/node_modules/@tensorflow/$name"
  ln -sfn "$tfjs_pkg" "$linked"
  # The link keeps one tfjs-core (the kit's) for both; its other dependencies come from its own node_modules.
  node_flags+=(--preserve-symlinks)
  export NODE_PATH="$(dirname "$(dirname "$tfjs_pkg")")${NODE_PATH:+:$NODE_PATH}"
  check_lanes=webgpu,tensorflow
  say "tensorflow lane: $tfjs_pkg (linked into the kit)"
else
  say "tensorflow lane: no tfjs-node-gpu (give --tfjs-node DIR or NODE_PATH to run it)"
fi
cleanup() { [[ -n $linked && -L $linked ]] && rm -f "$linked"; }
trap cleanup EXIT

cd "$KIT" || fail 64 "cannot enter $KIT"
now_ms() { echo $(($(date +%s) * 1000)); }
run_node() { # SECONDS-LIMIT script args...: a hard stop a little after the deadline, in case a driver hangs
  local limit=$1
  shift
  if command -v timeout >/dev/null; then
    timeout --kill-after=10 "$limit" "$NODE" "${node_flags[@]}" "$@"
  else
    "$NODE" "${node_flags[@]}" "$@"
  fi
}

# --- adapter, correctness --------------------------------------------------
status=0
if ((adapter_only)); then
  run_node 60 kit/check.mjs --adapter-only
  exit $(($? == 0 ? 0 : 2))
fi
if ((do_check)); then
  # The checks take seconds on a GPU; on a slow software adapter they may use half the budget (quick) or a third.
  check_deadline=$((started + budget / (quick ? 2 : 3)))
  large=()
  ((quick)) || large=(--large)
  run_node $((check_deadline - $(date +%s) + 30)) kit/check.mjs --backends "$check_lanes" --deadline "$((check_deadline * 1000))" --out "$out/check.json" "${large[@]}"
  check_status=$?
  case $check_status in
    0) say "correctness: passed" ;;
    2) say "correctness: NO WEBGPU ADAPTER (see above)"; status=2 ;;
    124 | 137) say "correctness: stopped by the time limit"; status=1 ;;
    *) say "correctness: FAILED (see $out/check.json)"; status=1 ;;
  esac
fi

# --- benchmark ---------------------------------------------------------------
if ((do_bench)); then
  left=$((deadline - $(date +%s)))
  if ((left < 10)); then
    say "benchmark: skipped, only ${left} s of the budget left"
  else
    mode=()
    ((quick)) && mode=(--quick)
    extra=()
    [[ -n $gpu_name ]] && extra+=(--gpu-name "$gpu_name")
    [[ -n $bandwidth ]] && extra+=(--bandwidth "$bandwidth")
    # 3 s kept for this script's summary.
    run_node $((left + 20)) kit/bench.mjs "${mode[@]}" --deadline "$(((deadline - 3) * 1000))" --out "$out" "${extra[@]}" "${bench_args[@]}"
    bench_status=$?
    if ((bench_status != 0)); then
      say "benchmark: exited with status $bench_status$( ((bench_status == 124 || bench_status == 137)) && echo ' (stopped by the time limit; the reports hold the cases done)')"
      ((status == 0)) && status=1
    fi
    [[ -f $out/bench.md ]] && sed -n '/^## Upload/,/^## Every row/p' "$out/bench.md" | sed '$d'
  fi
fi

say "done in $(($(date +%s) - started)) s (budget ${budget} s); results in $out: $(cd "$out" && ls | tr '\n' ' ')"
exit $status
