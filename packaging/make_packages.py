"""Turn the onedir bundle in dist/referral-guide into the two things a user installs.

    dist/referral-guide-<version>-linux-<arch>.tar.gz   bundle, .desktop file, icon, install.sh
    dist/referral-guide_<version>_<arch>.deb            /opt/referral-guide, /usr/bin links,
                                                        menu entry and icon

Run by ``make package`` after PyInstaller; standard library only. The .deb's Depends are
packaging/system-packages.txt plus what dpkg-shlibdeps (package dpkg-dev) finds the bundle linked
against, with versions. packaging/system-packages.txt is the one list of system packages: its
first column is the Debian name (the same list feeds packaging/ensure-system-deps.sh, which make
and .ci/run use).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"
ICON_DIR = "usr/share/icons/hicolor/256x256/apps"


def _meta() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def project() -> tuple[str, str]:
    meta = _meta()
    return meta["name"], meta["version"]


def architecture() -> str:
    try:
        out = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True)
        return out.stdout.strip() or os.uname().machine
    except FileNotFoundError:
        return os.uname().machine


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mode &= ~0o022
    return info


def archive_path(out_dir: Path, name: str, version: str, arch: str) -> Path:
    return out_dir / f"{name}-{version}-linux-{arch}.tar.gz"


def deb_path(out_dir: Path, name: str, version: str, arch: str) -> Path:
    return out_dir / f"{name}_{version}_{arch}.deb"


def make_archive(bundle: Path, out_dir: Path, name: str, version: str, arch: str) -> Path:
    """A .tar.gz for any Linux: the bundle folder plus what a menu entry needs."""
    top = f"{name}-{version}"
    out = archive_path(out_dir, name, version, arch)
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, f"{top}/{name}", filter=_tar_filter)
        for extra in (f"{name}.desktop", f"{name}.png", "install.sh"):
            tar.add(HERE / extra, f"{top}/{extra}", filter=_tar_filter)
    return out


def _copy_keeping_links(src: Path, dst: Path) -> None:
    """Like ``cp -a``: symlinks stay symlinks and hard-linked files stay one file."""
    seen: dict[tuple[int, int], str] = {}

    def copy(source: str, target: str) -> None:
        info = os.stat(source)
        key = (info.st_dev, info.st_ino)
        if key in seen:
            os.link(seen[key], target)
        else:
            shutil.copy2(source, target)
            seen[key] = target

    shutil.copytree(src, dst, symlinks=True, copy_function=copy)


def _stage_deb(bundle: Path, root: Path, name: str) -> None:
    if root.exists():
        shutil.rmtree(root)
    _copy_keeping_links(bundle, root / "opt" / name)
    (root / "usr/bin").mkdir(parents=True)
    for exe in (name, f"{name}-cli"):
        (root / "usr/bin" / exe).symlink_to(f"/opt/{name}/{exe}")
    (root / "usr/share/applications").mkdir(parents=True)
    shutil.copy(HERE / f"{name}.desktop", root / "usr/share/applications")
    (root / ICON_DIR).mkdir(parents=True)
    shutil.copy(HERE / f"{name}.png", root / ICON_DIR)
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o022)


def _elf_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return sorted(found)


def shlibs_depends(bundle: Path) -> list[str]:
    """What dpkg-shlibdeps finds the bundle's binaries linked against ([] without dpkg-dev)."""
    if shutil.which("dpkg-shlibdeps") is None:
        print("make_packages: dpkg-shlibdeps not found (apt-get install dpkg-dev); "
              "Depends come from packaging/system-packages.txt only", file=sys.stderr)  # fmt: skip
        return []
    files = _elf_files(bundle)
    private = sorted({f"-l{f.parent}" for f in files if ".so" in f.name})
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "debian").mkdir()
        (Path(work) / "debian/control").write_text("Source: x\n\nPackage: x\nArchitecture: any\n")
        out = subprocess.run(
            ["dpkg-shlibdeps", "-O", "--ignore-missing-info", *private, *map(str, files)],
            cwd=work, capture_output=True, text=True, check=True,
        )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("shlibs:Depends="))
    return [dep.strip() for dep in line.split("=", 1)[1].split(",") if dep.strip()]


def merge_depends(*lists: list[str]) -> str:
    """One entry per package; a versioned entry wins over a bare name."""
    by_name: dict[str, str] = {}
    for dep in (d for deps in lists for d in deps):
        key = re.split(r"[\s(]", dep, maxsplit=1)[0]
        if key not in by_name or "(" in dep:
            by_name[key] = dep
    return ", ".join(by_name[k] for k in sorted(by_name))


def listed_depends() -> list[str]:
    """The Debian names (first column) of packaging/system-packages.txt."""
    lines = (HERE / "system-packages.txt").read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in (x.split("#", 1)[0] for x in lines) if line.strip()]


def _installed_kib(root: Path) -> int:
    sizes = {(i.st_dev, i.st_ino): i.st_size for i in (p.lstat() for p in root.rglob("*"))}
    return sum(sizes.values()) // 1024 + 1


def make_deb(bundle: Path, out_dir: Path, name: str, version: str, arch: str) -> Path:
    """A Debian package built with dpkg-deb from a staging tree under build/deb/."""
    root = ROOT / "build" / "deb" / f"{name}_{version}_{arch}"
    _stage_deb(bundle, root, name)
    fields = {
        "@VERSION@": version,
        "@ARCH@": arch,
        "@SIZE@": str(_installed_kib(root)),
        "@DEPENDS@": merge_depends(listed_depends(), shlibs_depends(root / "opt" / name)),
    }
    control = (HERE / "control.in").read_text(encoding="utf-8")
    for key, value in fields.items():
        control = control.replace(key, value)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    out = deb_path(out_dir, name, version, arch)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(root),
                    str(out)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--no-deb", action="store_true", help="only the .tar.gz")
    parser.add_argument(
        "--requirements", action="store_true", help="print the runtime dependencies and stop"
    )
    parser.add_argument(
        "--print-paths", action="store_true", help="print the archive's and the .deb's paths"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.requirements:
        print("\n".join(_meta()["dependencies"]))
        return 0
    name, version = project()
    bundle, target = args.dist / name, (args.dist, name, version, architecture())
    if args.print_paths:
        print(f"{archive_path(*target)}\n{deb_path(*target)}")
        return 0
    if not (bundle / f"{name}-cli").is_file():
        print(f"make_packages: no bundle in {bundle}; run: make package", file=sys.stderr)
        return 1
    print(f"wrote {make_archive(bundle, *target)}")
    if not args.no_deb:
        print(f"wrote {make_deb(bundle, *target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
