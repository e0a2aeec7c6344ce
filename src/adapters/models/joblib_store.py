"""JoblibModelStore: model blobs as files under one directory, with a JSON manifest.

Every write goes to a temporary file in the same directory and is renamed into place, so a
reader (another process) never sees half a file. The manifest lists each version's record and
which one is promoted.
"""

import asyncio
import os
import tempfile
from pathlib import Path

import msgspec

from domain.ranking.versions import ModelVersion

MANIFEST = "manifest.json"


class Manifest(msgspec.Struct):
    versions: list[ModelVersion] = msgspec.field(default_factory=list)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _safe_name(version: str) -> str:
    if not version or not all(c.isalnum() or c in "-_." for c in version) or version.startswith("."):
        raise ValueError(f"bad model version name {version!r}")
    return version


class JoblibModelStore:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._lock = asyncio.Lock()

    def _read_manifest(self) -> Manifest:
        path = self.directory / MANIFEST
        if not path.is_file():
            return Manifest()
        return msgspec.json.decode(path.read_bytes(), type=Manifest)

    def _write_manifest(self, manifest: Manifest) -> None:
        _atomic_write(self.directory / MANIFEST, msgspec.json.encode(manifest))

    def _blob_path(self, version: str) -> Path:
        return self.directory / f"{_safe_name(version)}.joblib"

    async def save(self, version: ModelVersion, blob: bytes) -> None:
        async with self._lock:
            await asyncio.to_thread(self._save, version, blob)

    def _save(self, version: ModelVersion, blob: bytes) -> None:
        _atomic_write(self._blob_path(version.version), blob)
        manifest = self._read_manifest()
        kept = [v for v in manifest.versions if v.version != version.version]
        kept.append(msgspec.structs.replace(version, promoted=False))
        self._write_manifest(Manifest(kept))

    async def promote(self, version: str) -> None:
        async with self._lock:
            await asyncio.to_thread(self._promote, version)

    def _promote(self, version: str) -> None:
        manifest = self._read_manifest()
        if all(v.version != version for v in manifest.versions):
            raise KeyError(version)
        self._write_manifest(
            Manifest([msgspec.structs.replace(v, promoted=v.version == version) for v in manifest.versions])
        )

    async def promoted(self) -> ModelVersion | None:
        manifest = await asyncio.to_thread(self._read_manifest)
        return next((v for v in manifest.versions if v.promoted), None)

    async def load(self, version: str) -> bytes | None:
        path = self._blob_path(version)
        return await asyncio.to_thread(lambda: path.read_bytes() if path.is_file() else None)

    async def versions(self) -> list[ModelVersion]:
        manifest = await asyncio.to_thread(self._read_manifest)
        return sorted(manifest.versions, key=lambda v: v.created_at)
