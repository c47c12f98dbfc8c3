"""artifactgen: a coach's YAML case file in, six client deliverables (Markdown and Word) out."""

__version__ = "0.3.0"  # the one place the version is set; pyproject.toml reads it from here
