"""The command group: one place that turns every ArtifactgenError into messages and exit 1."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from artifactgen import __version__
from artifactgen.errors import ArtifactgenError


class _Group(click.Group):
    """Turns every ArtifactgenError into its messages and exit 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArtifactgenError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # output piped into `head` and the like
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as error:  # never show a coach a traceback
            if os.environ.get("ARTIFACTGEN_DEBUG"):
                raise
            click.echo(
                f"artifactgen: internal error ({type(error).__name__}: {error}); "
                "please report it, with the case file if you can",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="artifactgen")
def main() -> None:
    """Turn a coach's YAML case file into six client deliverables, in Markdown and Word.

    \b
    Example:
      artifactgen init coaching         # a workspace, with one example case
      artifactgen new jordan-smith      # start a case file from the template
      artifactgen validate              # check every file in cases/
    """
