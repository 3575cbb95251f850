"""Keeps the shipped pieces in step with the content folder: after every `migrate` (a fresh install, each
deploy, `make run`) they are loaded, or refreshed in place, with no command to remember."""
import logging

from .loader import SHIPPED_FOLDER, LibraryError

logger = logging.getLogger(__name__)


def load_shipped_pieces(sender, apps=None, **kwargs) -> None:
    """After migrate (and after a flush, which sends the same signal without `apps`: the schema is current)."""
    try:
        if apps is not None:
            apps.get_model("library", "Piece")
    except LookupError:
        return  # migrated back to before the library existed
    if not any(SHIPPED_FOLDER.glob("*.md")):
        return
    from . import services

    try:
        result = services.shipped_pieces_load()
    except LibraryError as error:
        # Never stop a migration over a piece of writing: the library keeps what it had, and the problems are
        # logged (the shipped content's own test fails on them, so they cannot reach a release).
        logger.warning("The shipped library pieces were not loaded:\n%s", "\n".join(error.problems))
        return
    logger.debug("Library: %d shipped pieces loaded, %d updated.", len(result.created), len(result.updated))
