"""The command line: parses options, calls the library, prints, and sets the exit status.

Only this package prints or exits; each module imports the library lazily, inside its commands.
"""

from artifactgen.cli import cases, checks, delivery, workspace  # noqa: F401  (registers their commands)
from artifactgen.cli.group import main

__all__ = ["main"]
