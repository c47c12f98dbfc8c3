"""artifactgen: a coach's YAML case file in, six client deliverables (Markdown and Word) out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("artifactgen")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
