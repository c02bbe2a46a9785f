#!/usr/bin/env bash
# oros/image/build.sh — build the oros USB image (run as root: `make image`).
#
#   oros/image/build.sh [OUTPUT_DIR]        (default: <repo>/build/image)
#
# Writes OUTPUT_DIR/oros.img (whole disk: MBR + 2 partitions), oros.img.sha256 and
# build-info.txt. Nothing is mounted and no loop device, container or chroot of our own
# is used: mmdebstrap builds the root file system from the Debian mirror, mksquashfs
# packs it, and the disk is put together from plain files (mkfs.vfat, mtools,
# syslinux --install, sfdisk, dd).
#
# Stages and caches (OROS_IMAGE_CACHE, default /var/cache/openrig-image):
#   1. base     mmdebstrap → rootfs.tar, cached under base-<key>/ (key: package lists,
#               suite, mirrors, flavour, SOURCE_DATE_EPOCH, mmdebstrap version, this
#               stage's options). OROS_IMAGE_REBUILD=1 ignores the cache.
#   2. root     unpack, add oros and the files of oros/image/rootfs, enable/mask units
#   3. live     vmlinuz, initrd.img, filesystem.squashfs (zstd, times clamped)
#   4. disk     FAT32 OROSBOOT (syslinux + GRUB EFI + /live), FAT OPENRIG (README.txt)
# A flavour (nvidia, amd) adds packages/<flavour>.list and flavours/<flavour>/rootfs.
#   The finished image is cached too (image-<key>.img, key: the base key plus every file
#   under oros/ and the settings), so a rebuild with nothing changed is a copy.
#
# Settings: see image.conf (suite, SOURCE_DATE_EPOCH, mirrors, flavour, kernel command
# line, sizes); OROS_IMAGE_VERSION overrides the version written to /etc/oros-release.
set -euo pipefail
umask 022

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
oros_dir=$(dirname -- "$here")
repo=$(dirname -- "$oros_dir")
# shellcheck source=oros/image/image.conf
source "$here/image.conf"
export SOURCE_DATE_EPOCH
export LC_ALL=C.UTF-8 TZ=UTC

out=${1:-${OROS_IMAGE_OUT:-$repo/build/image}}
cache=${OROS_IMAGE_CACHE:-/var/cache/openrig-image}
flavour=$OROS_IMAGE_FLAVOUR
suite=$OROS_IMAGE_SUITE
jobs=$(nproc 2>/dev/null || echo 2)

say() { printf '[image %5ss] %s\n' "$SECONDS" "$*" >&2; }
die() {
	printf 'image: %s\n' "$*" >&2
	exit 1
}

[[ $(id -u) == 0 ]] || die "run as root (mmdebstrap --mode=root needs it)"
[[ $flavour =~ ^(base|nvidia|amd)$ ]] || die "OROS_IMAGE_FLAVOUR must be base, nvidia or amd"
for tool in mmdebstrap mksquashfs mkfs.vfat mcopy mmd syslinux sfdisk grub-mkimage sha256sum; do
	command -v "$tool" >/dev/null || die "$tool is missing (apt-get install mmdebstrap squashfs-tools mtools dosfstools syslinux syslinux-common grub-efi-amd64-bin fdisk)"
done
[[ -f /usr/lib/syslinux/mbr/mbr.bin ]] || die "/usr/lib/syslinux/mbr/mbr.bin is missing (syslinux-common)"
[[ -d /usr/lib/grub/x86_64-efi ]] || die "/usr/lib/grub/x86_64-efi is missing (grub-efi-amd64-bin)"

# ---------------------------------------------------------------- inputs and keys
packages() { # the package lists of this flavour, comments and blanks dropped
	local list
	for list in "$here/packages/base.list" ${flavour:+"$here/packages/$flavour.list"}; do
		[[ -f $list ]] || continue
		sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$list"
	done | sort -u
}
mapfile -t pkgs < <(packages)
components="main non-free-firmware"
[[ $flavour == nvidia ]] && components="main contrib non-free non-free-firmware"

base_opts=(
	--mode=root --variant=minbase --format=tar
	--components="$components"
	--include="$(
		IFS=,
		echo "${pkgs[*]}"
	)"
	--aptopt='Acquire::Languages "none"'
	--aptopt='APT::Install-Recommends "false"'
	--dpkgopt='path-exclude=/usr/share/man/*'
	--dpkgopt='path-exclude=/usr/share/info/*'
	--dpkgopt='path-exclude=/usr/share/locale/*'
	--dpkgopt='path-exclude=/usr/share/doc/*'
	--dpkgopt='path-include=/usr/share/doc/*/copyright'
	--dpkgopt='path-exclude=/usr/share/lintian/*'
)
sources=(
	"deb $OROS_IMAGE_MIRROR $suite $components"
	"deb $OROS_IMAGE_MIRROR $suite-updates $components"
	"deb $OROS_IMAGE_SECURITY_MIRROR $suite-security $components"
)
base_key=$(
	{
		printf '%s\n' base-v1 "$SOURCE_DATE_EPOCH" "$suite" "$flavour" "${sources[@]}" "${base_opts[@]}"
		dpkg-query -W -f='${Version}\n' mmdebstrap 2>/dev/null || true
	} | sha256sum | cut -c1-16
)

# Every file of oros/ except the build output goes into the image key.
oros_files() {
	(cd "$oros_dir" && find . -type f ! -path './.*' ! -name '*.pyc' -print0 | sort -z |
		xargs -0 sha256sum)
}
version_base=$(head -n 1 "$oros_dir/VERSION" 2>/dev/null || echo 0)
snapshot=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d)
suffix=''
[[ $flavour == base ]] || suffix=-$flavour
version=${OROS_IMAGE_VERSION:-oros-$version_base-$snapshot$suffix}
[[ $version =~ ^[A-Za-z0-9._+-]{1,64}$ ]] || die "bad image version: $version"
image_key=$(
	{
		printf '%s\n' image-v1 "$base_key" "$version" "$OROS_IMAGE_CMDLINE" \
			"$OROS_IMAGE_BOOT_SPARE_MIB" "$OROS_IMAGE_CONFIG_MIB"
		oros_files
	} | sha256sum | cut -c1-16
)

mkdir -p -- "$out" "$cache"
work="$out/work"
image="$out/oros.img"

finish() {
	(cd "$out" && sha256sum oros.img >oros.img.sha256)
	{
		printf 'version=%s\nflavour=%s\nsource_date_epoch=%s\nbase_key=%s\nimage_key=%s\n' \
			"$version" "$flavour" "$SOURCE_DATE_EPOCH" "$base_key" "$image_key"
		printf 'size_bytes=%s\n' "$(stat -c %s "$image")"
		printf 'sha256=%s\n' "$(cut -d' ' -f1 "$out/oros.img.sha256")"
		printf 'cmdline=%s\n' "$OROS_IMAGE_CMDLINE"
		[[ -f $work/partitions ]] && cat "$work/partitions"
	} >"$out/build-info.txt"
	say "done: $image ($(($(stat -c %s "$image") / 1048576)) MiB) $(cut -d' ' -f1 "$out/oros.img.sha256")"
}

if [[ ${OROS_IMAGE_REBUILD:-0} != 1 && -f $cache/image-$image_key.img && -f $cache/image-$image_key.partitions ]]; then
	say "image cache hit ($image_key)"
	rm -rf -- "$work"
	mkdir -p -- "$work"
	cp -- "$cache/image-$image_key.partitions" "$work/partitions"
	cp --sparse=always -- "$cache/image-$image_key.img" "$image.tmp"
	mv -f -- "$image.tmp" "$image"
	finish
	exit 0
fi

# ---------------------------------------------------------------- 1. base (cached)
base_dir="$cache/base-$base_key"
if [[ ${OROS_IMAGE_REBUILD:-0} == 1 || ! -f $base_dir/rootfs.tar ]]; then
	say "base: mmdebstrap $suite ($flavour, ${#pkgs[@]} packages) → $base_dir"
	rm -rf -- "$base_dir.tmp"
	mkdir -p -- "$base_dir.tmp"
	mmdebstrap --quiet "${base_opts[@]}" "$suite" "$base_dir.tmp/rootfs.tar" "${sources[@]}"
	rm -rf -- "$base_dir"
	mv -- "$base_dir.tmp" "$base_dir"
else
	say "base: cache hit ($base_dir)"
fi

# ---------------------------------------------------------------- 2. root
say "root: unpack and customise"
rm -rf -- "$work"
mkdir -p -- "$work/root" "$work/live"
root="$work/root"
tar -C "$root" --numeric-owner -xpf "$base_dir/rootfs.tar"

# oros itself, where oros/install.sh puts it and oros/systemd/oros.service runs it from
# (/opt/oros): oros-boot and the libraries it needs before the bundle arrives, and the
# agent it falls back to when the server cannot be reached at boot.
mkdir -p -- "$root/opt/oros"
tar -C "$oros_dir" --exclude=./image --exclude='./.*' --owner=0 --group=0 --numeric-owner \
	-cf - . | tar -C "$root/opt/oros" --no-same-owner -xf -
chmod -R u=rwX,go=rX -- "$root/opt/oros"
chmod 0755 -- "$root/opt/oros/bin/"* "$root/opt/oros/install.sh" 2>/dev/null || true

# the image's own files: units, network, journald, console status, fstab
tar -C "$here/rootfs" --owner=0 --group=0 --numeric-owner -cf - . |
	tar -C "$root" --no-same-owner -xf -
chmod 0755 -- "$root/usr/lib/oros-image/"*
if [[ -d $here/flavours/$flavour/rootfs ]]; then
	tar -C "$here/flavours/$flavour/rootfs" --owner=0 --group=0 --numeric-owner -cf - . |
		tar -C "$root" --no-same-owner -xf -
fi
if [[ -f $oros_dir/systemd/oros.service ]]; then
	install -m 0644 -- "$oros_dir/systemd/oros.service" "$root/etc/systemd/system/oros.service"
else # until oros/systemd/oros.service exists: the same thing, minimal
	say "root: oros/systemd/oros.service is missing; using a minimal oros.service"
	cat >"$root/etc/systemd/system/oros.service" <<'UNIT'
[Unit]
Description=oros: ramdisk, enrollment, agent bundle, agent
[Service]
ExecStart=/opt/oros/bin/oros-boot
Restart=on-failure
RestartPreventExitStatus=2
RestartSec=10
[Install]
WantedBy=multi-user.target
UNIT
fi

cat >"$root/etc/oros-release" <<EOF
VERSION=$version
OROS_VERSION=$version
OROS_FLAVOUR=$flavour
OROS_AGENT_VERSION=$version_base
DEBIAN_SUITE=$suite
SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH
EOF

# A live system: no machine id (systemd makes one per boot), no host name (set from the
# MAC at boot), no root password, nothing left over from the package installs.
: >"$root/etc/machine-id"
rm -f -- "$root/var/lib/dbus/machine-id" "$root/etc/hostname"
ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
ln -sfn /run/oros-conf "$root/etc/oros" # rig.conf in RAM (see usr/lib/oros-image/conf-stage)
sed -i -e 's/^root:[^:]*:/root:*:/' "$root/etc/shadow"
rm -f -- "$root"/etc/{passwd,group,shadow,gshadow,subuid,subgid}- \
	"$root"/var/lib/dpkg/*-old "$root"/var/cache/debconf/*-old \
	"$root"/var/cache/ldconfig/aux-cache "$root"/etc/ssh/ssh_host_* \
	"$root"/var/lib/dkms/mok.key # nvidia: the key DKMS signed its modules with stays here
find "$root/var/log" -type f -delete
rm -rf -- "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/tmp/* "$root"/var/tmp/*
mkdir -p -- "$root/var/lib/apt/lists/partial"

systemctl --root="$root" --quiet enable systemd-networkd.service systemd-resolved.service \
	systemd-timesyncd.service oros-hostname.service oros-console.service
systemctl --root="$root" --quiet enable oros.service
[[ -f $root/etc/systemd/system/oros-xorg.service ]] &&
	systemctl --root="$root" --quiet enable oros-xorg.service
# quiet and small: no timers that write to disks, no console logins
for unit in apt-daily.timer apt-daily-upgrade.timer fstrim.timer e2scrub_all.timer \
	e2scrub_reap.service dpkg-db-backup.timer man-db.timer getty@.service \
	serial-getty@.service autovt@.service console-getty.service systemd-firstboot.service; do
	ln -sf /dev/null "$root/etc/systemd/system/$unit"
done

# ---------------------------------------------------------------- 3. live
say "live: kernel, initrd, squashfs"
kver=$(find "$root/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
[[ -n $kver && -f $root/boot/initrd.img-$kver ]] || die "no kernel/initrd in the root file system"
cp -- "$root/boot/vmlinuz-$kver" "$work/live/vmlinuz"
cp -- "$root/boot/initrd.img-$kver" "$work/live/initrd.img"
printf 'KERNEL=%s\n' "$kver" >>"$root/etc/oros-release"
# Directories stay (mount points), their contents do not. mksquashfs takes
# SOURCE_DATE_EPOCH from the environment: the file system's time, and every later file
# time clamped to it.
mksquashfs "$root" "$work/live/filesystem.squashfs" -noappend -quiet -no-progress \
	-comp zstd -b 1M -processors "$jobs" \
	-wildcards -e 'proc/*' 'sys/*' 'dev/*' 'run/*' 'tmp/*' 'var/tmp/*' 'boot/*' >/dev/null

# ---------------------------------------------------------------- 4. disk
say "disk: boot loaders and partitions"
mib=1048576
# GRUB for UEFI: a small EFI binary (grub-mkimage: deterministic, unlike
# grub-mkstandalone's memdisk) that reads /boot/grub/grub.cfg from the partition it was
# started from.
cat >"$work/grub.cfg" <<EOF
set timeout=1
set default=0
menuentry "oros $version" {
	linux /live/vmlinuz $OROS_IMAGE_CMDLINE
	initrd /live/initrd.img
}
EOF
mkdir -p -- "$work/efi"
grub-mkimage -O x86_64-efi -p /boot/grub -o "$work/efi/BOOTX64.EFI" \
	part_msdos fat normal linux configfile echo test boot
# syslinux for BIOS
cat >"$work/syslinux.cfg" <<EOF
DEFAULT oros
PROMPT 0
TIMEOUT 10
LABEL oros
  SAY Booting oros $version ...
  KERNEL /live/vmlinuz
  APPEND initrd=/live/initrd.img $OROS_IMAGE_CMDLINE
EOF

# Every file gets the same time stamp; mtools and mkfs.fat take SOURCE_DATE_EPOCH too.
find "$work/live" "$work/efi" "$work/syslinux.cfg" "$work/grub.cfg" "$here/config" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} + 2>/dev/null || true
export MTOOLS_SKIP_CHECK=1

files_bytes=$(du -cb "$work/live" "$work/efi" | tail -n 1 | cut -f1)
boot_mib=$(((files_bytes + mib - 1) / mib + files_bytes / mib / 50 + OROS_IMAGE_BOOT_SPARE_MIB + 2))
((boot_mib >= 64)) || boot_mib=64
conf_mib=$OROS_IMAGE_CONFIG_MIB
p1_start=2048                                # 1 MiB alignment
p1_sectors=$((boot_mib * 2048))
p2_start=$((p1_start + p1_sectors))
p2_sectors=$((conf_mib * 2048))
total_sectors=$((p2_start + p2_sectors))
serial=$(printf '%08x' "$((SOURCE_DATE_EPOCH & 0xffffffff))")
serial2=$(printf '%08x' "$(((SOURCE_DATE_EPOCH + 1) & 0xffffffff))")

rm -f -- "$work/p1.img" "$work/p2.img"
mkfs.vfat -F 32 -n OROSBOOT --invariant -i "$serial" -h "$p1_start" -C "$work/p1.img" "$((boot_mib * 1024))" >/dev/null
mmd -i "$work/p1.img" ::/live ::/EFI ::/EFI/BOOT ::/boot ::/boot/grub ::/syslinux
mcopy -m -i "$work/p1.img" "$work/live/vmlinuz" "$work/live/initrd.img" "$work/live/filesystem.squashfs" ::/live/
mcopy -m -i "$work/p1.img" "$work/efi/BOOTX64.EFI" ::/EFI/BOOT/
mcopy -m -i "$work/p1.img" "$work/grub.cfg" ::/boot/grub/
mcopy -m -i "$work/p1.img" "$work/syslinux.cfg" ::/syslinux/
syslinux --install --directory /syslinux "$work/p1.img"

mkfs.vfat -F 16 -n OPENRIG --invariant -i "$serial2" -h "$p2_start" -C "$work/p2.img" "$((conf_mib * 1024))" >/dev/null
mcopy -m -i "$work/p2.img" "$here/config/README.txt" ::/README.txt

rm -f -- "$image.tmp"
truncate -s "$((total_sectors * 512))" "$image.tmp"
sfdisk --quiet --no-reread --no-tell-kernel "$image.tmp" <<EOF
label: dos
label-id: 0x$serial
unit: sectors

start=$p1_start, size=$p1_sectors, type=c, bootable
start=$p2_start, size=$p2_sectors, type=e
EOF
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$image.tmp" bs=440 count=1 conv=notrunc status=none
dd if="$work/p1.img" of="$image.tmp" bs=1M seek="$((p1_start / 2048))" conv=notrunc,sparse status=none
dd if="$work/p2.img" of="$image.tmp" bs=1M seek="$((p2_start / 2048))" conv=notrunc,sparse status=none
printf 'boot_partition=%s:%s\nconfig_partition=%s:%s\n' \
	"$((p1_start * 512))" "$((p1_sectors * 512))" "$((p2_start * 512))" "$((p2_sectors * 512))" >"$work/partitions"
mv -f -- "$image.tmp" "$image"
rm -f -- "$work/p1.img" "$work/p2.img"

# keep the finished image for the next identical build
find "$cache" -maxdepth 1 -name 'image-*' -mmin +1 -delete 2>/dev/null || true
cp --sparse=always -- "$image" "$cache/image-$image_key.img.tmp" &&
	mv -f -- "$cache/image-$image_key.img.tmp" "$cache/image-$image_key.img"
cp -- "$work/partitions" "$cache/image-$image_key.partitions"
finish
