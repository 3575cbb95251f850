"""Static files in production: names from collectstatic's manifest, plain names until it has run."""
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    """Each collected file under a name holding its content's hash (pathways.3f2a9c1d0b7e.css) with a gzip copy
    beside it, so the proxy lets browsers keep it for a year and a new version is a new name. Once collectstatic
    has written its manifest, a page naming a file missing from it fails loudly. Before that there is no
    manifest at all, and pages link the plain names, served from the apps' folders as in development, so
    production settings also run in the tests and benchmarks that never collect."""

    def stored_name(self, name):
        if not self.hashed_files:  # nothing collected yet
            return name
        return super().stored_name(name)
