"""`python -m mediahub` runs the CLI."""

from mediahub.cli import main

main()
