#!/usr/bin/env bash
# Software Vulkan (Mesa lavapipe) for the webgpu test lane.
#
# Dawn (the `webgpu` package) needs a Vulkan driver. On Debian bookworm the
# stock Mesa 22.3 does not work with Dawn; Mesa 25 from bookworm-backports
# does. Idempotent: does nothing when a lavapipe ICD from Mesa >= 25 is already
# installed, or when this is not a root Debian machine with apt-get (then the
# webgpu lane reports why it cannot run).
set -euo pipefail

ICD_DIR=/usr/share/vulkan/icd.d
MIN_MESA_MAJOR=25

mesa_major() {
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/'
}

has_lavapipe() {
  local major
  major=$(mesa_major || true)
  ls "$ICD_DIR"/lvp_icd*.json >/dev/null 2>&1 && [ -n "$major" ] && [ "$major" -ge "$MIN_MESA_MAJOR" ] &&
    ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'
}

if has_lavapipe; then
  echo "setup-vulkan: lavapipe from Mesa $(mesa_major) already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-vulkan: skipped (needs root and apt-get); the webgpu lane will say why it cannot run"
  exit 0
fi
if ! grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release; then
  echo "setup-vulkan: skipped (not Debian bookworm); install Mesa >= $MIN_MESA_MAJOR Vulkan drivers by hand"
  exit 0
fi

echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bpo.list
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
if has_lavapipe; then
  echo "setup-vulkan: installed lavapipe from Mesa $(mesa_major)"
else
  echo "setup-vulkan: Mesa was installed but no lavapipe ICD was found in $ICD_DIR" >&2
  exit 1
fi
