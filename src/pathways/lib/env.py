"""Small helpers that read settings from the environment, with secrets also from `NAME_FILE`."""
import base64
import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (how container secrets arrive)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def new_fernet_key() -> str:
    """32 random bytes in URL-safe base64: the key format of the field encryption (pathways.vault)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def persistent_secret(path: Path, make=lambda: secrets.token_urlsafe(50)) -> str:
    """A random secret (from MAKE) kept in a private file, so a fresh install is safe without configuration."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value
