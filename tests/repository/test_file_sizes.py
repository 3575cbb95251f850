"""Git keeps every version of every file for good, so a large file added by mistake, or a model retrained for no
measured gain, makes every clone bigger forever. The MI analyzer's model is already most of the history (six
versions of encoder.onnx). These tests stop a large file from growing it by accident."""
import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 1_000_000  # bytes
WATCHED = ("src", "training")
# The shipped model's files over the limit, with the sha256 of the version in the repository. Replacing one is
# a decision (retrain only when `make bench` shows a real gain), made by changing its hash here in the same commit.
SHIPPED_MODEL = {
    "src/pathways/mi/model/encoder.onnx": "3fb42b5eac7522ea6658452d1c77e5146458c0749528ccbb0bad88d6187d2f56",
    "src/pathways/mi/model/heads.npz": "f4e8a1dd42887f3035a1481799c1f957164e448a567019a281f49a19029980ad",
    "src/pathways/mi/model/vocabulary.json": "df69c2eb7964915165b8f0fc1cf455789e8afcdc8a7bf110b6fde4e8c28cca23",
}


def _files():
    """Every file under the watched folders, except what git ignores there (caches, build metadata)."""
    for top in WATCHED:
        for folder, subfolders, names in os.walk(ROOT / top):
            subfolders[:] = [name for name in subfolders
                             if not name.startswith(".") and name != "__pycache__" and not name.endswith(".egg-info")]
            for name in names:
                yield Path(folder) / name


def test_no_file_over_a_megabyte_but_the_shipped_model():
    large = {path.relative_to(ROOT).as_posix(): path.stat().st_size for path in _files()
             if path.stat().st_size > LIMIT}
    unexpected = {path: size for path, size in large.items() if path not in SHIPPED_MODEL}
    assert not unexpected, (
        f"Files over {LIMIT:,} bytes: {unexpected}. Git would keep them forever; generate data at run time or in "
        "the test that needs it, or keep it outside the repository (training data lives in ../shared/data).")


def test_the_shipped_model_is_the_recorded_one():
    for name, recorded in SHIPPED_MODEL.items():
        path = ROOT / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == recorded, (
            f"{name} ({path.stat().st_size:,} bytes) changed. Each new version stays in git history for good; "
            "commit a retrained model only for a gain `make bench` measured, and record its sha256 here.")
